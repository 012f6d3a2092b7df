package dev.prefalign.trainer.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubSettingsTest {
    private static final String TOKEN = "hf_NotForYourEyes42";

    @TempDir
    Path home;

    private final Map<String, String> properties = new HashMap<>();
    private final Map<String, String> env = new HashMap<>();

    private HubSettings settings() {
        return HubSettings.from(properties::get, env::get, home);
    }

    @Test
    void defaultsAreThePublicHubWithoutAToken() {
        HubSettings s = settings();
        assertThat(s.endpoint()).isEqualTo("https://huggingface.co");
        assertThat(s.hasToken()).isFalse();
        assertThat(s.offline()).isFalse();
        assertThat(s.maxAttempts()).isEqualTo(5);
    }

    @Test
    void environmentThenPropertiesWhichTestsCanSet() {
        env.put("HF_ENDPOINT", "https://mirror.example/");
        env.put("HF_TOKEN", "hf_from_env");
        env.put("HF_HUB_OFFLINE", "1");
        env.put("HF_HUB_DOWNLOAD_TIMEOUT", "2.5");
        env.put("PREFALIGN_HF_ATTEMPTS", "2");
        HubSettings fromEnv = settings();
        assertThat(fromEnv.endpoint()).isEqualTo("https://mirror.example");
        assertThat(fromEnv.token()).isEqualTo("hf_from_env");
        assertThat(fromEnv.offline()).isTrue();
        assertThat(fromEnv.readTimeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(fromEnv.maxAttempts()).isEqualTo(2);

        properties.put(HubSettings.ENDPOINT_PROPERTY, "http://127.0.0.1:9999");
        properties.put(HubSettings.TOKEN_PROPERTY, TOKEN);
        properties.put(HubSettings.OFFLINE_PROPERTY, "false");
        HubSettings overridden = settings();
        assertThat(overridden.endpoint()).isEqualTo("http://127.0.0.1:9999");
        assertThat(overridden.token()).isEqualTo(TOKEN);
        assertThat(overridden.offline()).isFalse();
    }

    @Test
    void theTokenFileOfHuggingfaceCliLogin() throws Exception {
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), TOKEN + "\n");
        assertThat(settings().token()).isEqualTo(TOKEN);

        Path elsewhere = Files.writeString(home.resolve("my-token"), "hf_other");
        env.put("HF_TOKEN_PATH", elsewhere.toString());
        assertThat(settings().token()).isEqualTo("hf_other");

        env.put("HUGGING_FACE_HUB_TOKEN", "hf_legacy");
        assertThat(settings().token()).isEqualTo("hf_legacy");
    }

    @Test
    void theTokenIsNeverShown() {
        HubSettings s = HubSettings.of("https://huggingface.co", TOKEN);
        assertThat(s.toString()).doesNotContain(TOKEN).contains("token=<set>");
        assertThat(HubSettings.of("https://huggingface.co", null).toString()).contains("token=<none>");
    }

    @Test
    void badValuesAreNamed() {
        env.put("HF_ENDPOINT", "ftp://example.org");
        assertThatThrownBy(this::settings)
                .hasMessageContaining("HF_ENDPOINT 'ftp://example.org' is not an http(s) URL");
        env.put("HF_ENDPOINT", "https://huggingface.co");
        env.put("HF_HUB_DOWNLOAD_TIMEOUT", "soon");
        assertThatThrownBy(this::settings).hasMessageContaining("HF_HUB_DOWNLOAD_TIMEOUT 'soon'");
    }
}
