package dev.sett.quickstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start is {@link QuickStart}, word for word: it lives in a package of its own
 * so that it can use nothing but the public API, it runs here, and the README's copy is compared
 * with the source, so neither can drift.
 */
class QuickStartTest {
  @TempDir Path tmp;

  @Test
  void quickStartRuns() {
    assertEquals(List.of("user:1 = Ada", "user:2 = Grace", "user:3 = Barbara", "3 Ada 5"),
        QuickStart.run(tmp.resolve("data")));
  }

  @Test
  void readmeShowsTheQuickStartSourceExactly() throws Exception {
    String source = Files.readString(Path.of("src/test/java/dev/sett/quickstart/QuickStart.java")).strip();
    String readme = Files.readString(Path.of("../README.md"));
    String begin = "<!-- quick start: store-core/src/test/java/dev/sett/quickstart/QuickStart.java -->\n```java\n";
    int start = readme.indexOf(begin);
    assertTrue(start >= 0, "the README has no quick start block");
    int end = readme.indexOf("\n```", start + begin.length());
    assertEquals(source, readme.substring(start + begin.length(), end).strip(),
        "the README's quick start differs from QuickStart.java: copy the file into the README");
  }
}
