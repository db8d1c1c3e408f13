package dev.sett.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology benchmark, tiny, so that it cannot rot: every figure, for both kinds, from real runs.
 * Tagged out of {@code ./mvnw -B verify} (25 s); CI's JDK 25 pass runs it.
 */
@Tag("benchmark-smoke")
class TopologyBenchmarkTest {
  @TempDir
  Path work;

  @Test
  void bothKindsProcessAllTheInputAndRestore() throws Exception {
    Map<String, Map<String, String>> results = TopologyBenchmark.run(300, 1_500, work);
    for (String kind : new String[] {"sett", "rocksdb"}) {
      Map<String, String> f = results.get(kind);
      assertEquals("1800", f.get("records"), kind + " did not commit all 1,500 events and 300 profiles: " + f);
      assertTrue(Double.parseDouble(f.get("restore-seconds")) > 0, kind + ": " + f);
      assertTrue(!f.get("store-put-ns").equals("-"), kind + " reported no store put latency: " + f);
      assertTrue(Long.parseLong(f.get("rss-mib")) > 0, kind + ": " + f);
    }
  }
}
