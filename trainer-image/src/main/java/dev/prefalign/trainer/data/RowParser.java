package dev.prefalign.trainer.data;

/** Turns one row into one example; knows a dataset kind's columns (preference pairs, SFT). */
interface RowParser<T> {

    /** The format this row is in, for {@link DatasetFormat#AUTO}: standard or conversational. */
    DatasetFormat detect(RowColumns row) throws InvalidRowException;

    T parse(RowColumns row, ResolvedFormat format) throws InvalidRowException;
}
