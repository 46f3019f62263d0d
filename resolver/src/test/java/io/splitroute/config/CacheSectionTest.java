package io.splitroute.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.splitroute.cache.CacheConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code cache:} section: every key, its defaults, byte sizes with units, and each bad value reported with its line. */
class CacheSectionTest {

    private static CacheConfig cache(String section) throws ConfigException {
        return ConfigLoader.parse("upstreams: { isp: [system] }\n" + section, "splitroute.yaml",
                Path.of("/etc/splitroute")).cache();
    }

    private static List<String> problems(String section) {
        try {
            cache(section);
        } catch (ConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
        throw new AssertionError("expected problems in:\n" + section);
    }

    @Test
    void everyKey_read() throws Exception {
        CacheConfig c = cache("cache: { size: 5000, min-ttl: 10, max-ttl: 3600, max-bytes: 8m, max-answer-bytes: 16KiB,"
                + " stale: 12h, prefetch: true, persist: cache.bin }\n");

        assertThat(c).isEqualTo(new CacheConfig(5000, 10, 3600, 8L << 20, 16L << 10, Duration.ofHours(12), true,
                Path.of("/etc/splitroute/cache.bin")));
    }

    @Test
    void leftOut_defaults() throws Exception {
        CacheConfig c = cache("cache: { size: 100 }\n");

        assertThat(c.maxBytes()).isEqualTo(CacheConfig.DEFAULT_MAX_BYTES);
        assertThat(c.maxAnswerBytes()).isEqualTo(CacheConfig.DEFAULT_MAX_ANSWER_BYTES);
        assertThat(c.stale()).isEqualTo(Duration.ofDays(1));
        assertThat(c.prefetch()).isFalse();
        assertThat(c.persist()).isNull();
        assertThat(cache("")).isEqualTo(CacheConfig.DEFAULT);
    }

    @Test
    void bytes_plainOrWithUnits() throws Exception {
        assertThat(cache("cache: { max-bytes: 65536 }\n").maxBytes()).isEqualTo(65536);
        assertThat(cache("cache: { max-bytes: 512k }\n").maxBytes()).isEqualTo(512 * 1024);
        assertThat(cache("cache: { max-bytes: 1g }\n").maxBytes()).isEqualTo(1L << 30);
        assertThat(cache("cache: { stale: 0 }\n").stale()).isZero();
    }

    @Test
    void badValues_reportedWithTheirLines() {
        assertThat(problems("""
                cache:
                  max-bytes: lots
                  max-answer-bytes: 5t
                  stale: 8d
                  prefetch: sometimes
                  persist: ""
                """)).containsExactly(
                "splitroute.yaml:3: cache.max-bytes: expected a size such as 10MiB, 512k or 65536 (bytes), got 'lots'",
                "splitroute.yaml:4: cache.max-answer-bytes: expected a size such as 10MiB, 512k or 65536 (bytes), got '5t'",
                "splitroute.yaml:5: cache.stale: must be at most 7d (RFC 8767's cap), got 691200 s",
                "splitroute.yaml:6: cache.prefetch: expected true or false, got 'sometimes'",
                "splitroute.yaml:7: cache.persist: must not be empty");
        assertThat(problems("cache: { max-bytes: 5g }\n")).singleElement().asString().contains("must be between 0 bytes and 4g");
        assertThat(problems("cache: { stale: soon }\n")).singleElement().asString().contains("cache.stale: expected a duration");
    }
}
