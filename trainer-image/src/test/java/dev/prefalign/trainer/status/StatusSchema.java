package dev.prefalign.trainer.status;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The committed /status schema, loaded from the classpath as the trainer ships it. */
final class StatusSchema {
    private static final Schema SCHEMA = load();

    private StatusSchema() {
    }

    private static Schema load() {
        try (InputStream in = StatusSchema.class.getResourceAsStream(StatusJson.SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(StatusJson.SCHEMA_RESOURCE + " is not on the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The violations of {@code json}; empty when it is valid. */
    static List<String> violations(String json) {
        List<Error> errors = SCHEMA.validate(json, InputFormat.JSON);
        return errors.stream().map(Error::toString).toList();
    }
}
