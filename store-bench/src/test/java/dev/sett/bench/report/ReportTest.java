package dev.sett.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/**
 * The report generator on a small JMH JSON fixture ({@code fixture.json}: made-up scores in the
 * exact shape JMH 1.37 writes, with "NaN" errors and both spellings of the gc metric's name).
 */
class ReportTest {
  private static Path fixtureDir;
  private static List<JmhResult> results;
  private static String markdown;

  @BeforeAll
  static void load(@TempDir Path dir) throws IOException {
    fixtureDir = dir;
    copyResource("fixture.json", dir.resolve("01-fixture.json"));
    copyResource("run-info.properties", dir.resolve(ReportMain.INFO));
    results = JmhResult.readDirectory(dir);
    Properties info = new Properties();
    try (InputStream in = ReportTest.class.getResourceAsStream("run-info.properties")) {
      info.load(in);
    }
    markdown = new Report(results, info).markdown("report.svg");
  }

  private static void copyResource(String name, Path to) throws IOException {
    try (InputStream in = ReportTest.class.getResourceAsStream(name)) {
      assertNotNull(in, name);
      Files.copy(in, to);
    }
  }

  @Test
  void readsEveryResultWithItsParametersThreadsAndAllocation() {
    assertEquals(25, results.size());
    JmhResult r = results.get(0);
    assertEquals("ValueReadBenchmark", r.className());
    assertEquals("copyGet", r.method());
    assertEquals(Map.of("valueSize", "128"), r.params());
    assertEquals("±4%", Targets.noise(r, r));
    assertEquals("–", Targets.noise(r, results.get(1)));
    assertEquals(120.0, r.score());
    assertEquals(4.5, r.error());
    assertEquals(144.0, r.allocPerOp());
    assertEquals("17.0.15", r.jdk());
    // "NaN" as a string (one iteration) and the "·gc.alloc.rate.norm" spelling.
    JmhResult big = new Report(results, new Properties()).find("ValueReadBenchmark", "copyGet", 1, "valueSize=65536");
    assertNotNull(big);
    assertTrue(Double.isNaN(big.error()));
    assertEquals(65552.0, big.allocPerOp());
    JmhResult eight = new Report(results, new Properties()).find("WriteBenchmark", "put8Threads", 0, "sync=ALWAYS");
    assertEquals(8, eight.threads());
    assertTrue(eight.higherIsBetter());
  }

  @Test
  void valueSizeTableHasOneRowPerSizeWithRatiosAndAllocation() {
    assertTrue(markdown.contains("| 128 B | 120 | 60.0 | 40.0 | 2.00× | 3.00× | 144 | 32 | 0 |"), markdown);
    assertTrue(markdown.contains("| 64 KiB | 10,000 | 20.0 | 10.0 | 500× | 1,000× | 65,552 | 32 | 0 |"), markdown);
    assertTrue(markdown.contains("| 128 B | 150 | – | 160 | – | 0.94× |"), markdown);
  }

  @Test
  void targetRowsSayWhatWasMetMissedOrNotMeasured() {
    assertTrue(markdown.contains("| 64 KiB point read: snapshot view vs copying `get` | 500× | ≥ 100× | **met** | – |"), markdown);
    assertTrue(markdown.contains("| 64 KiB: allocation of the zero-allocation path (`readLong`) | 0 B/op | 0 B/op | **met** |"), markdown);
    assertTrue(markdown.contains("| 128 B point read, every long summed: callback vs copy | 0.94× | ≥ 1× (no slower) "
        + "| **missed** (short by 1.07×) |"), markdown);
    assertTrue(markdown.contains("| 4 MiB file: mapping copied out (the essay's mmap) vs `FileChannel.read` | 2.50× | ≥ 2× | **met** |"), markdown);
    assertTrue(markdown.contains("| 4 MiB file: mapping read in place vs `FileChannel.read` | – | ≥ 2× | not measured |"), markdown);
    assertTrue(markdown.contains("| 1M × 100 B random reads, 1 thread: Sett `readLong` vs lmdbjava `get` | 2.50× "
        + "| ≥ 2× (aim 4×) | **met** (aim not reached) |"), markdown);
    assertTrue(markdown.contains("| 1M × 100 B random reads, 2 threads: Sett `readLong` vs lmdbjava `get` | 1.80× "
        + "| ≥ 2× (aim 4×) | **missed** (short by 1.11×) |"), markdown);
    assertTrue(markdown.contains("| 1M × 100 B random reads, 1 thread: Sett `readLong` vs RocksDB `get(byte[])` | 7.50× "
        + "| ≥ 6× | **met** |"), markdown);
    assertTrue(markdown.contains("| Random overwrites, no sync: Sett `put` vs RocksDB `put` | 4.00× | ≥ 3× (aim 10×) "
        + "| **met** (aim not reached) |"), markdown);
    assertTrue(markdown.contains("| Random overwrites, no sync: Sett `put` vs lmdbjava 1,000 puts/txn | 4.50× "
        + "| ≥ 3× (aim 10×) | **met** (aim not reached) |"), markdown);
  }

  @Test
  void issue11TargetsUseItsHigherBarsAndSayWhatWasNotRun() {
    assertTrue(markdown.contains("## Targets (issue 11)"), markdown);
    assertTrue(markdown.contains("| Random 100 B reads, 1 thread: Sett `readLong` vs lmdbjava `get` | 2.50× "
        + "| ≥ 2.5× (aim 4×) | **met** (aim not reached) |"), markdown);
    assertTrue(markdown.contains("| Random 100 B reads, 2 threads: Sett `readLong` vs lmdbjava `get` | 1.80× "
        + "| ≥ 2.5× (aim 4×) | **missed** (short by 1.39×) |"), markdown);
    assertTrue(markdown.contains("| Random overwrites, no sync: Sett `put` vs RocksDB `put` | 4.00× | ≥ 6× (aim 10×) "
        + "| **missed** (short by 1.50×) |"), markdown);
    assertTrue(markdown.contains("| `SyncMode.ALWAYS` 128 B puts: 8 writers ÷ 1 (throughput) | 8.00× | ≥ 5× | **met** |"),
        markdown);
    assertTrue(markdown.contains("| `SyncMode.ALWAYS` 128 B puts: 2 writers ÷ 1 (throughput) | – | ≥ 1.6× | not measured |"),
        markdown);
  }

  @Test
  void scanTimesAreJudgedAsATimeRatioUnderABound() {
    JmhResult sett = scan("settForward", 170, 17);
    JmhResult lmdb = scan("lmdbForward", 80, 2);
    Targets.Target t = Issue11Targets.timeRatio("forward", sett, lmdb, 2, 1);
    assertEquals("2.13×", t.measured());
    assertEquals("≤ 2× (aim 1×)", t.needed());
    assertEquals("**missed** (over by 1.06×)", t.status());
    assertEquals("±10%", t.noise());
    Targets.Target met = Issue11Targets.timeRatio("reverse", scan("settReverse", 90, 1), lmdb, 1.25, 1);
    assertEquals("**met** (aim not reached)", met.status());
    assertNull(Issue11Targets.timeRatio("none", null, lmdb, 2, 1).met());
  }

  private static JmhResult scan(String method, double score, double error) {
    return new JmhResult("PeerScanBenchmark", method, "avgt", 1, 2, 3, Map.of("records", "1000000"), score, error,
        "ns/op", 0, Map.of(), "17", "vm", "1.37");
  }

  /** Issue 14's sections, on real JMH output of this machine (the 8-thread RMW run and the TTL run). */
  @Test
  void readModifyWriteAndExpirySectionsShowRatiosAndAbortRates(@TempDir Path dir) throws IOException {
    copyResource("issue14-rmw-8t.json", dir.resolve("01-rmw-8t.json"));
    copyResource("issue14-ttl.json", dir.resolve("02-ttl.json"));
    List<JmhResult> issue14 = JmhResult.readDirectory(dir);
    JmhResult txn = issue14.stream().filter(r -> r.method().equals("settTransaction") && "16".equals(r.param("keys")))
        .findFirst().orElseThrow();
    assertEquals(8, txn.threads());
    assertTrue(txn.secondary().containsKey("aborts"), txn.secondary().toString());
    String md = new Report(issue14, new Properties()).markdown("report.svg");
    // 714.705 ops/ms with 2.156 aborts/ms; RocksDB 42.074 with 7.770: 0.302% and 18.467%.
    assertTrue(md.contains("| 16 | 8 | 715 | 961 | 42.1 | 0.74× | 17.0× | 0.302% | 18.467% |"), md);
    assertTrue(md.contains("| random `readLong`, ns | 419 | 433 | 1.03× |"), md);
    assertTrue(md.contains("| `compact(true)` of every record, ms | 289 | 377 | 1.31× |"), md);
    assertTrue(!md.contains("| 16 | 1 |"), "no 1-thread rows without 1-thread results");
  }

  @Test
  void peerAndWriteTablesCompareWithSett() {
    assertTrue(markdown.contains("| Sett `readLong` callback (zero-copy, no allocation) | 400 | 0 | 1.00× | 500 | 0 | 1.00× |"), markdown);
    assertTrue(markdown.contains("| RocksDB `get(byte[])` (copy) | 3,000 | 120 | 7.50× | 3,500 | 120 | 7.00× |"), markdown);
    assertTrue(markdown.contains("| Sett snapshot view (zero-copy) | – | – | – | – | – | – |"), markdown);
    assertTrue(markdown.contains("| RocksDB `put`, WAL on, no sync | 8,000 | 0 | 4.00× |"), markdown);
    // Throughput: 8 writers against 1, higher is better.
    assertTrue(markdown.contains("| NONE | 128 B | 500,000 | 600,000 | 1.20× | – |"), markdown);
    assertTrue(markdown.contains("| ALWAYS | 128 B | 2,000 | 16,000 | 8.00× | – |"), markdown);
  }

  @Test
  void headerCarriesRunInfoAndJdk() {
    assertTrue(markdown.contains("| date | 2026-11-26 07:00 UTC |"), markdown);
    assertTrue(markdown.contains("| load average | 1.00 1.00 1.00 at the start, 2.00 2.00 2.00 at the end |"), markdown);
    assertTrue(markdown.contains("| JDK | 17.0.15 (OpenJDK 64-Bit Server VM 17.0.15+6-Debian-1deb12u1) |"), markdown);
    assertTrue(markdown.contains("| ValueReadBenchmark.copyGet | valueSize=128 | 1 | 120 | 4.50 | ns/op | 144 | 1 × 3 |"), markdown);
  }

  @Test
  void reportMainWritesMarkdownAndWellFormedSvg() throws Exception {
    assertEquals(25, ReportMain.write(fixtureDir));
    String md = Files.readString(fixtureDir.resolve(ReportMain.MARKDOWN));
    assertTrue(md.startsWith("# Sett benchmark report\n"));
    assertTrue(md.contains("![zero-copy vs copy by value size; Sett vs peers](report.svg)"));

    byte[] svg = Files.readAllBytes(fixtureDir.resolve(ReportMain.SVG));
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(svg));
    assertEquals("svg", doc.getDocumentElement().getLocalName());
    assertEquals("http://www.w3.org/2000/svg", doc.getDocumentElement().getNamespaceURI());
    NodeList rects = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect");
    // background + 3 legend swatches + 6 value-size bars + 3 + 3 + 3 peer bars
    assertEquals(1 + 3 + 6 + 9, rects.getLength());
    String text = doc.getDocumentElement().getTextContent();
    assertTrue(text.contains("64 KiB"), text);
    assertTrue(text.contains("copy/view 500×"), text);
    assertTrue(text.contains("RocksDB get(byte[]) (copy)"), text);
    assertTrue(text.contains("Sett benchmarks, 2026-11-26 07:00 UTC (quick profile)"), text);
  }

  @Test
  void emptyDirectoryWritesNothing(@TempDir Path empty) throws IOException {
    Files.writeString(empty.resolve("failed-run.json"), "");
    assertEquals(0, ReportMain.write(empty));
    assertFalse(Files.exists(empty.resolve(ReportMain.MARKDOWN)));
  }

  @Test
  void laterFilesReplaceEarlierResultsOfTheSameBenchmark(@TempDir Path dir) throws IOException {
    String one = "[{\"benchmark\":\"dev.sett.bench.ScanBenchmark.forwardKeys\",\"mode\":\"avgt\",\"threads\":1,"
        + "\"forks\":1,\"measurementIterations\":1,\"primaryMetric\":{\"score\":%s,\"scoreError\":\"NaN\","
        + "\"scoreUnit\":\"ns/op\"},\"secondaryMetrics\":{}}]";
    Files.writeString(dir.resolve("01-a.json"), String.format(one, "10.0"), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("02-b.json"), String.format(one, "20.0"), StandardCharsets.UTF_8);
    List<JmhResult> rs = JmhResult.readDirectory(dir);
    assertEquals(1, rs.size());
    assertEquals(20.0, rs.get(0).score());
    assertNull(new Report(rs, new Properties()).find("ScanBenchmark", "forwardKeys", 2));
  }

  @Test
  void jsonParserHandlesEscapesNumbersAndReportsErrors() {
    Object v = Json.parse("{\"a\": [1, -2.5e3, true, false, null], \"s\": \"q\\\"\\\\\\u00b7\\n\"}");
    Map<String, Object> m = Json.object(v);
    assertEquals(List.of(1.0, -2500.0, true, false), Json.array(m.get("a")).subList(0, 4));
    assertNull(Json.array(m.get("a")).get(4));
    assertEquals("q\"\\\u00b7\n", m.get("s"));
    assertTrue(Double.isNaN(Json.number("NaN")));
    assertEquals(Double.POSITIVE_INFINITY, Json.number("Infinity"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1,\n ]"));
    assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
  }

  @Test
  void numbersAndSizesAreFormattedForReading() {
    assertEquals("12,234", Format.number(12234.4));
    assertEquals("14.7", Format.number(14.7));
    assertEquals("0.592", Format.number(0.592));
    assertEquals("0", Format.bytes(0.0004));
    assertEquals("1,000×", Format.ratio(1000));
    assertEquals("1 MiB", Format.size(1 << 20));
    assertEquals("16 B", Format.size(16));
    assertEquals("&lt;a &amp; &quot;b&quot;&gt;", SvgChart.escape("<a & \"b\">"));
  }
}
