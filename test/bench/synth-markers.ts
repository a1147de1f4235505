/** The block of docs/verification.md that `npm run bench -- --write` rewrites. */
export const SYNTH_COST_MARKERS = ['<!-- synth cost: written by `npm run bench -- --write` -->', '<!-- end of synth cost -->'] as const;
