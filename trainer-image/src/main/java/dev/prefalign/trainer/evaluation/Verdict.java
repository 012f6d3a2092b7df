package dev.prefalign.trainer.evaluation;

/** A judge's decision between two replies to the same prompt. */
public enum Verdict {
    FIRST,
    SECOND,
    TIE
}
