package dev.sett.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sett.bench.report.ReportMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain programs' results ({@link ResultFile}) reach the report as JMH's do: read back from
 * their JSON, with parameters and units, and judged against issue 11's targets.
 */
class ResultFileTest {
  @Test
  void plainProgramFiguresAreJudgedAgainstIssue11Targets(@TempDir Path dir) throws IOException {
    new ResultFile(BigStoreMeasurement.class)
        .add("bulkLoad", 10.4, "us/op", 1, "keys", "10000000", "batch", "1000")
        .add("indexHeapPerKey", 96, "B/key", 1, "keys", "10000000")
        .add("indexBytesPerKey", 115, "B/key", 1, "keys", "10000000")
        .add("crashOpenToFirstGet", 4.0, "s/op", 1, "keys", "10000000")
        .add("cleanOpenToFirstGet", 1.5, "s/op", 1, "keys", "10000000")
        .write(dir.resolve("01-big-store.json"));
    new ResultFile(DiskUseMeasurement.class)
        .add("oneKeyAllocatedOpen", 134_234_112, "B", 1)
        .add("oneKeyAllocatedClosed", 65_536, "B", 1)
        .write(dir.resolve("02-disk-use.json"));

    ReportMain.main(new String[] {dir.toString()});
    String md = Files.readString(dir.resolve("report.md"));

    assertTrue(md.contains("| Open of a cleanly closed 10M-key store: fresh JVM to the first `get` | 1.50 s "
        + "| ≤ 2 s (aim 1 s) | **met** (aim not reached) | – |"), md);
    assertTrue(md.contains("| Open after a crash (SIGKILL after the load): fresh JVM to the first `get`, ÷ the clean open "
        + "| 2.67× | ≤ 2× | **missed** (over by 1.33×) | – |"), md);
    assertTrue(md.contains("| Bulk load of 10M keys in `WriteBatch`es of 1,000, `SyncMode.NONE` | 10.4 µs/put "
        + "| ≤ 1 µs/put | **missed** (over by 10.4×) | – |"), md);
    assertTrue(md.contains("| Index memory, 10M × 16 B keys: heap used after GC per key | 96.0 B/key "
        + "| ≤ 64 B/key (aim 40 B/key) | **missed** (over by 1.50×; `stats().indexBytes()` says 115 B/key) | – |"), md);
    assertTrue(md.contains("| Disk allocated by a one-key store, open (`du`) | 134,234,112 B | ≤ 1,048,576 B "
        + "| **missed** (over by 128×) | – |"), md);
    assertTrue(md.contains("| Disk allocated by a one-key store, closed (`du`) | 65,536 B | ≤ 1,048,576 B | **met** | – |"), md);
  }

  @Test
  void bigStoreFiguresAtAnotherSizeAreNotJudged(@TempDir Path dir) throws IOException {
    new ResultFile(BigStoreMeasurement.class)
        .add("cleanOpenToFirstGet", 0.4, "s/op", 1, "keys", "20000")
        .write(dir.resolve("01-big-store.json"));

    ReportMain.main(new String[] {dir.toString()});
    String md = Files.readString(dir.resolve("report.md"));

    assertTrue(md.contains("| Open of a cleanly closed 10M-key store: fresh JVM to the first `get` | (0.400 s) "
        + "| ≤ 2 s (aim 1 s) | not measured (ran at 20000 keys, not 10000000) | – |"), md);
  }
}
