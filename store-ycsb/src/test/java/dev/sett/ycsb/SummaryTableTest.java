package dev.sett.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTableTest {

  @Test
  void aRowShowsThroughputLatencyPerOperationTypeAndTheChecks() {
    SummaryTable table = new SummaryTable();
    table.add("F", "sett", YcsbOutput.parse(YcsbOutputTest.CLEAN_F), 1000);

    String[] lines = table.render().split("\n");

    assertEquals("| workload | store | ops/s | READ avg / p99 (µs) | UPDATE avg / p99 (µs) |"
        + " READ-MODIFY-WRITE avg / p99 (µs) | verified | verify failures | failed ops | check |", lines[0]);
    assertEquals("|---|---|---:|---:|---:|---:|---:|---:|---:|---|", lines[1]);
    assertEquals("| F | sett | 2000 | 12.3 / 61 | 20.0 / 80 | 35.5 / 140 | 1000 | 0 | 0 | ok |", lines[2]);
    assertTrue(table.allOk());
  }

  @Test
  void aMissingOrShortRunFailsTheTableAndSaysWhy() {
    SummaryTable table = new SummaryTable();
    table.add("F", "sett", YcsbOutput.parse(YcsbOutputTest.CLEAN_F), 1001);
    table.addMissing("F", "lmdb", "no output");

    String[] lines = table.render().split("\n");

    assertTrue(lines[2].endsWith("| did 1000 of 1001 operations |"), lines[2]);
    assertEquals("| F | lmdb | – | – | – | – | – | – | – | no output |", lines[3]);
    assertFalse(table.allOk());
  }

  @Test
  void theMainReadsEachStoresPhaseFilesInWorkloadOrder(@TempDir Path dir) throws IOException {
    for (String store : List.of("sett", "lmdb")) {
      Files.createDirectories(dir.resolve(store));
      for (SummaryMain.Phase phase : SummaryMain.PHASES) {
        Files.write(dir.resolve(store).resolve(phase.file() + ".txt"), YcsbOutputTest.CLEAN_F);
      }
    }
    Files.delete(dir.resolve("lmdb").resolve("run-e.txt"));

    String[] lines = SummaryMain.table(dir, 1000, 1000, List.of("sett", "lmdb")).render().split("\n");

    assertEquals(2 + 2 * SummaryMain.PHASES.size(), lines.length);
    assertTrue(lines[2].startsWith("| load (A) | sett |"), lines[2]);
    assertTrue(lines[3].startsWith("| load (A) | lmdb |"), lines[3]);
    assertTrue(lines[4].startsWith("| A | sett |"), lines[4]);
    assertTrue(lines[lines.length - 1].startsWith("| E | lmdb |"), lines[lines.length - 1]);
    assertTrue(lines[lines.length - 1].endsWith("| no output (lmdb/run-e.txt missing) |"), lines[lines.length - 1]);
  }
}
