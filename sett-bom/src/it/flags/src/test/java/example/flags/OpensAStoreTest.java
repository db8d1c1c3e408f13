package example.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the Quick start under Surefire with the README's argLine (and, as OpensAStoreIT, under Failsafe). */
class OpensAStoreTest {
  @TempDir Path dir;

  @Test
  void runsTheQuickStartAsTheReadmePrintsIt() {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      Main.main(new String[] {dir.resolve("store").toString()});
    } finally {
      System.setOut(saved);
    }
    assertEquals("user:1 = Ada\nuser:2 = Grace\nuser:3 = Barbara\n3 Ada 5",
        out.toString(StandardCharsets.UTF_8).strip());
  }
}
