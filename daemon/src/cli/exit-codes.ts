/** The seed evaluator's exit codes for `eval`: 0 all passed (or the gate passed), 2 failures (or the gate failed), 3 request errors. */
export const EXIT_EVAL_FAILURES = 2;
export const EXIT_EVAL_REQUEST_ERRORS = 3;
/** The run could not start: a bad set, backend or option (2 already means the model failed cases). */
export const EXIT_EVAL_CANNOT_RUN = 1;
/** Stopped with Ctrl-C (128 + SIGINT, as shells report it). */
export const EXIT_EVAL_STOPPED = 130;
