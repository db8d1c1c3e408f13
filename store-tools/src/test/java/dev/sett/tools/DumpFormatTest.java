package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DumpFormat}: the header, record lines, and the reader's checks. */
class DumpFormatTest {
  private static final DumpFormat.Header BASE64 =
      new DumpFormat.Header(Encoding.BASE64, Encoding.BASE64, 2);
  private static final String HEADER =
      "{\"format\":\"sett-export\",\"version\":2,\"keyFormat\":\"base64\",\"valueFormat\":\"base64\",\"records\":2}";

  @TempDir
  Path dir;

  @Test
  void headerLineIsStableAndParsesBack() throws Exception {
    assertEquals(HEADER, BASE64.line());
    assertEquals(BASE64, DumpFormat.parseHeader(BASE64.line()));
    assertEquals(new DumpFormat.Header(1, Encoding.UTF8, Encoding.HEX, 0), DumpFormat.parseHeader(
        "{\"records\":0,\"valueFormat\":\"hex\",\"keyFormat\":\"utf8\",\"version\":1,\"format\":\"sett-export\"}"));
  }

  @Test
  void recordLineHoldsKeyAndValueInTheHeadersFormats() throws Exception {
    byte[] key = Stores.bytes(0x00, 0xFF);
    byte[] value = new byte[0];
    String line = DumpFormat.recordLine(BASE64, key, value, null);
    assertEquals("{\"key\":\"AP8=\",\"value\":\"\"}", line);
    DumpFormat.Entry e = DumpFormat.parseRecord(BASE64, line, 2);
    assertArrayEquals(key, e.key());
    assertArrayEquals(value, e.value());
  }

  @Test
  void anExpiringRecordCarriesItsExpiryAndOnlyVersionTwoReadsIt() throws Exception {
    java.time.Instant at = java.time.Instant.parse("2026-12-05T10:15:30.123Z");
    String line = DumpFormat.recordLine(BASE64, Stores.bytes(1), Stores.bytes(2), at);
    assertEquals("{\"key\":\"AQ==\",\"value\":\"Ag==\",\"expiresAt\":\"2026-12-05T10:15:30.123Z\"}", line);
    assertEquals(at, DumpFormat.parseRecord(BASE64, line, 2).expiresAt());
    assertEquals(null, DumpFormat.parseRecord(BASE64, "{\"key\":\"AQ==\",\"value\":\"\"}", 2).expiresAt());
    DumpFormat.Header v1 = new DumpFormat.Header(1, Encoding.BASE64, Encoding.BASE64, 1);
    DumpFormat.Malformed e = org.junit.jupiter.api.Assertions.assertThrows(DumpFormat.Malformed.class,
        () -> DumpFormat.parseRecord(v1, line, 2));
    assertTrue(e.getMessage().contains("unknown member \"expiresAt\""), e.getMessage());
    DumpFormat.Malformed bad = org.junit.jupiter.api.Assertions.assertThrows(DumpFormat.Malformed.class,
        () -> DumpFormat.parseRecord(BASE64, "{\"key\":\"AQ==\",\"value\":\"\",\"expiresAt\":\"tomorrow\"}", 7));
    assertTrue(bad.getMessage().contains("ISO-8601"), bad.getMessage());
    assertEquals(7, bad.line());
  }

  @Test
  void utf8RecordLinesKeepTextReadable() {
    DumpFormat.Header utf8 = new DumpFormat.Header(Encoding.UTF8, Encoding.UTF8, 1);
    assertEquals("{\"key\":\"café\",\"value\":\"a\\\"b\\n\"}",
        DumpFormat.recordLine(utf8, Stores.utf8("café"), Stores.utf8("a\"b\n"), null));
  }

  @Test
  void headerProblemsAreNamed() {
    String[][] cases = {
        {"{\"format\":\"other\"}", "this is not a Sett dump"},
        {"{\"key\":\"YQ==\",\"value\":\"\"}", "no \"format\" member"},
        {HEADER.replace("\"version\":2", "\"version\":3"), "format version 3"},
        {HEADER.replace("\"version\":2", "\"version\":\"1\""), "\"version\" must be a positive integer"},
        {HEADER.replace("\"keyFormat\":\"base64\"", "\"keyFormat\":\"utf16\""), "\"keyFormat\" must be"},
        {HEADER.replace(",\"records\":2", ""), "must have the member \"records\""},
        {HEADER.replace("\"records\":2", "\"records\":-1"), "\"records\" must be an integer of 0 or more"},
        {HEADER.replace("}", ",\"extra\":1}"), "unknown member \"extra\""},
        {"not json", "one JSON object on one line; at column 1"},
    };
    for (String[] c : cases) {
      DumpFormat.Malformed e = assertThrows(DumpFormat.Malformed.class, () -> DumpFormat.parseHeader(c[0]), c[0]);
      assertEquals(1, e.line());
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void recordProblemsAreNamedWithTheirLine() {
    String[][] cases = {
        {"{\"key\":\"YQ==\"}", "must have the member \"value\""},
        {"{\"key\":\"YQ==\",\"value\":\"\",\"ttl\":3}", "unknown member \"ttl\""},
        {"{\"key\":1,\"value\":\"\"}", "the key must be a string, not 1"},
        {"{\"key\":\"YQ==\",\"value\":null}", "the value must be a string, not null"},
        {"{\"key\":\"!!\",\"value\":\"\"}", "the key is not valid base64"},
        {"{\"key\":\"\",\"value\":\"\"}", "the key is empty"},
        {"{\"key\":\"YQ==\",\"value\":\"\"", "at column 25"},
    };
    for (String[] c : cases) {
      DumpFormat.Malformed e = assertThrows(DumpFormat.Malformed.class,
          () -> DumpFormat.parseRecord(BASE64, c[0], 7), c[0]);
      assertEquals(7, e.line());
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void readerReturnsTheRecordsThenNull() throws Exception {
    Path f = write(HEADER + "\n{\"key\":\"YQ==\",\"value\":\"MQ==\"}\r\n{\"key\":\"Yg==\",\"value\":\"\"}");
    try (DumpFormat.Reader r = new DumpFormat.Reader(f, 10, 10)) {
      assertEquals(BASE64, r.header());
      assertArrayEquals(Stores.utf8("a"), r.next().key());
      assertEquals(2, r.lineNumber());
      assertArrayEquals(new byte[0], r.next().value());
      assertNull(r.next());
    }
  }

  @Test
  void readerRefusesAFileCutShort() throws Exception {
    Path f = write(HEADER + "\n{\"key\":\"YQ==\",\"value\":\"MQ==\"}\n");
    DumpFormat.Malformed e = readAll(f);
    assertEquals(3, e.line());
    assertEquals("the file ends after 1 of the 2 records its header announces; it was probably cut short",
        e.getMessage());
  }

  @Test
  void readerRefusesMoreRecordsThanAnnounced() throws Exception {
    String r = "{\"key\":\"YQ==\",\"value\":\"\"}\n";
    DumpFormat.Malformed e = readAll(write(HEADER + "\n" + r + r + r));
    assertEquals(4, e.line());
    assertTrue(e.getMessage().contains("announces 2 records, but more lines follow"), e.getMessage());
  }

  @Test
  void readerRefusesAnEmptyFileAndAnEmptyLine() throws Exception {
    assertEquals(1, readAll(write("")).line());
    DumpFormat.Malformed e = readAll(write(HEADER + "\n\n"));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().contains("found an empty line"), e.getMessage());
  }

  @Test
  void readerNamesTheLineThatIsNotUtf8() throws Exception {
    byte[] good = (HEADER + "\n{\"key\":\"YQ==\",\"value\":\"\"}\n").getBytes(StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', 'k', (byte) 0xFF, '"', '}', '\n'};
    Path f = dir.resolve("bad.jsonl");
    Files.write(f, concat(good, bad));
    DumpFormat.Malformed e = readAll(f);
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
  }

  @Test
  void readerRefusesKeysAndValuesOverTheLimits() throws Exception {
    String header = HEADER.replace("\"records\":2", "\"records\":1");
    DumpFormat.Malformed e = assertThrows(DumpFormat.Malformed.class, () -> {
      try (DumpFormat.Reader r = new DumpFormat.Reader(write(header + "\n{\"key\":\"YWJj\",\"value\":\"\"}"), 2, 10)) {
        r.next();
      }
    });
    assertEquals("the key has 3 bytes, over the limit of 2 bytes for a key", e.getMessage());
    e = assertThrows(DumpFormat.Malformed.class, () -> {
      try (DumpFormat.Reader r = new DumpFormat.Reader(write(header + "\n{\"key\":\"YQ==\",\"value\":\"YWJj\"}"), 2, 2)) {
        r.next();
      }
    });
    assertEquals("the value has 3 bytes, over the limit of 2 bytes for a value", e.getMessage());
  }

  @Test
  void readerHandlesLinesLongerThanItsBuffers() throws Exception {
    byte[] value = new byte[300_000];
    value[299_999] = 1;
    DumpFormat.Header h = new DumpFormat.Header(Encoding.HEX, Encoding.HEX, 1);
    Path f = write(h.line() + "\n" + DumpFormat.recordLine(h, Stores.utf8("k"), value, null) + "\n");
    try (DumpFormat.Reader r = new DumpFormat.Reader(f, 10, 1 << 20)) {
      assertArrayEquals(value, r.next().value());
      assertNull(r.next());
    }
  }

  private Path write(String text) throws IOException {
    Path f = Files.createTempFile(dir, "dump", ".jsonl");
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  private static DumpFormat.Malformed readAll(Path f) {
    return assertThrows(DumpFormat.Malformed.class, () -> {
      try (DumpFormat.Reader r = new DumpFormat.Reader(f, 100, 100)) {
        while (r.next() != null) {
          // read on
        }
      }
    });
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = new byte[a.length + b.length];
    System.arraycopy(a, 0, c, 0, a.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
