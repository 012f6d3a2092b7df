package dev.prefalign.trainer.data;

/**
 * Why one row cannot become an example. The row's origin is added by whoever reads the rows, so the parsers only say
 * which field is wrong and how.
 */
final class InvalidRowException extends Exception {
    private static final long serialVersionUID = 1L;


    InvalidRowException(String field, String problem) {
        super(field == null ? problem : "field '" + field + "': " + problem);
    }
}
