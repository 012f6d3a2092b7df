package dev.prefalign.trainer.data;

/** How a dataset's rows are laid out (TRL's conventions); mirrors the job spec's {@code dataset.format}. */
public enum DatasetFormat {
    /** Decide from the first valid row, then hold every other row to that format. */
    AUTO,
    /** Text columns: {@code prompt}/{@code chosen}/{@code rejected}, or {@code prompt}/{@code completion}, or {@code text}. */
    STANDARD,
    /** Message lists ({@code [{role, content}]}): the same columns, or {@code messages}. */
    CONVERSATIONAL
}
