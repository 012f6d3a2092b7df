package dev.prefalign.trainer.data;

/** What to do with a row that cannot become an example. */
public enum InvalidRowPolicy {
    /** Stop at the first invalid row with an error that names file, row and field. */
    FAIL,
    /** Leave the row out, count it and keep the first reasons for the log. */
    SKIP
}
