package dev.prefalign.trainer.safetensors;

import java.nio.file.Path;

/** A tensor stored in a type other than {@link DType}'s, e.g. an I64 buffer or an F64 weight. */
public final class UnsupportedDtypeException extends SafetensorsException {

    private static final long serialVersionUID = 1L;

    private final String dtype;

    UnsupportedDtypeException(Path file, String tensor, String dtype) {
        super(file, tensor, "dtype " + dtype + " is not supported; supported dtypes are " + DType.supportedList()
                + " (convert the checkpoint, e.g. with torch: tensor.float(), and save it again)");
        this.dtype = dtype;
    }

    /** The dtype string from the header. */
    public String dtype() {
        return dtype;
    }
}
