import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DnsValidatedCertificates } from './index.js';

export class ExampleStack extends TerraformStack {
  constructor(scope: Construct) {
    super(scope, 'certificates');
    const regions = ['us-east-1', 'eu-west-1'].map((region) => ({
      region,
      provider: new AwsProvider(this, `aws-${region}`, { region, alias: region.replace(/-/g, '_') }),
      alternativeNames: [`${region}.api.shop.example.com`],
    }));
    const certificates = new DnsValidatedCertificates(this, 'certificates', {
      zoneId: 'Z0123456789ABCDEFGHIJ',
      dnsProvider: regions[0]!.provider,
      domainName: 'api.shop.example.com',
      regions,
    });
    new TerraformOutput(this, 'certificate_eu_west_1', { value: certificates.forRegion('eu-west-1').certificateArn });
  }
}
