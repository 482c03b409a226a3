module mraa/review/forcenew

go 1.22
