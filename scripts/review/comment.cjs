// Posts the review to a pull request as comments kept up to date in place (used by
// .github/workflows/review.yml through actions/github-script). Part 1 carries the hidden marker
// `<!-- mraa-review -->`, part N `<!-- mraa-review part N -->`; each run edits the comments with
// those markers, creates missing ones and deletes parts a shorter report no longer has.
'use strict';
const { existsSync, readFileSync } = require('node:fs');

function partFile(out, index) {
  if (index === 0) return out;
  const dot = out.lastIndexOf('.');
  return dot > out.lastIndexOf('/') ? `${out.slice(0, dot)}.${index + 1}${out.slice(dot)}` : `${out}.${index + 1}`;
}

function markerOf(index) {
  return index === 0 ? '<!-- mraa-review -->' : `<!-- mraa-review part ${index + 1} -->`;
}

module.exports = async function postReview({ github, context, file = 'review.md' }) {
  const parts = [];
  for (let index = 0; existsSync(partFile(file, index)); index++)
    parts.push(readFileSync(partFile(file, index), 'utf8'));
  if (parts.length === 0) throw new Error(`no ${file}: the review step wrote nothing`);
  const { owner, repo } = context.repo;
  const issue_number = context.issue.number;
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const ours = (index) => comments.find((comment) => (comment.body ?? '').startsWith(markerOf(index)));
  for (const [index, body] of parts.entries()) {
    const existing = ours(index);
    if (existing) await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    else await github.rest.issues.createComment({ owner, repo, issue_number, body });
  }
  for (let index = parts.length; ours(index); index++) {
    await github.rest.issues.deleteComment({ owner, repo, comment_id: ours(index).id });
  }
};
