package dev.prefalign.trainer.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;

class TemplateFunctionsTest {

    @Test
    void strftimeWritesWhatPythonWrites() {
        LocalDateTime t = LocalDateTime.of(2024, 7, 5, 15, 4, 9, 123_456_000);

        // datetime(2024, 7, 5, 15, 4, 9, 123456).strftime(...) in Python 3
        assertThat(TemplateFunctions.strftime(t, "%d %b %Y|%B %A %a|%H:%M:%S %I%p|%y %m %j %f %%"))
            .isEqualTo("05 Jul 2024|July Friday Fri|15:04:09 03PM|24 07 187 123456 %");
    }

    @Test
    void unsupportedDirectiveIsAnError() {
        assertThatThrownBy(() -> TemplateFunctions.strftime(LocalDateTime.now(), "%Z"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("%Z");
    }
}
