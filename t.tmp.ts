import { explainLookalike } from './server/src/data/lookalike';
import { knownRank } from './server/src/data/knownNames';
for (const n of process.argv.slice(2)) { const [ns, name] = n.split(':') as ['PyPI'|'npm', string]; const e = explainLookalike(ns, name); console.log(ns, name, JSON.stringify(e.answer), e.guard ?? '', e.candidates.slice(0,4).map(c=>`${c.cls}->${c.target}#${c.rank} r${c.reach}${c.strong?' S':''}${c.dropped?' D':''}`).join(' | ')); }
console.log(knownRank('PyPI','tensorflow-gpu'));
