package dev.sett.tools;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The portable dump that {@code sett export} writes and {@code sett load} reads: JSON Lines, that
 * is one JSON object per line, in UTF-8, each line ended by {@code \n}.
 *
 * <table>
 *   <caption>Lines of a dump</caption>
 *   <tr><th>line</th><th>content</th><th>example</th></tr>
 *   <tr><td>1</td><td>the header</td>
 *       <td>{@code {"format":"sett-export","version":2,"keyFormat":"base64","valueFormat":"base64","records":2}}</td></tr>
 *   <tr><td>2 to records + 1</td><td>one record: a key and its value, written in the header's
 *       formats, and for a value written with a ttl (version 2) when it expires, an ISO-8601 instant
 *       in UTC</td><td>{@code {"key":"YQ==","value":"AP8="}},
 *       {@code {"key":"Yg==","value":"AQ==","expiresAt":"2026-12-05T10:15:30.123Z"}}</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Members of the header</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code format}</td><td>string</td><td>always {@code "sett-export"}</td></tr>
 *   <tr><td>{@code version}</td><td>integer</td><td>{@value #VERSION} (1, without expiries, is still
 *       read); a reader refuses a version it does not know</td></tr>
 *   <tr><td>{@code keyFormat}</td><td>string</td><td>how every key is written: {@code utf8},
 *       {@code hex} or {@code base64} (see {@link Encoding})</td></tr>
 *   <tr><td>{@code valueFormat}</td><td>string</td><td>the same for every value</td></tr>
 *   <tr><td>{@code records}</td><td>integer</td><td>how many record lines follow; a file with fewer
 *       (cut short) or more is refused</td></tr>
 * </table>
 *
 * <p>Rules: each line holds exactly the members listed (in any order; {@code expiresAt} only where
 * the value expires), so a typo is an error rather than ignored data; keys are not empty; no line is empty; whitespace between JSON tokens and a
 * {@code \r\n} line end are accepted. {@code export} writes the records in ascending unsigned key
 * order, from one snapshot; {@code load} accepts any order, and when a key appears twice the later
 * line wins. With {@code utf8}, strings hold the text itself (control characters, {@code "} and
 * {@code \} escaped), so the bytes must be valid UTF-8; {@code hex} and {@code base64} hold any bytes.
 *
 * <p>Stateless apart from {@link Reader}, which is not thread-safe.
 */
final class DumpFormat {
  static final String FORMAT = "sett-export";
  static final int VERSION = 2;
  /** Without expiries; still read. */
  static final int VERSION_1 = 1;

  private static final Set<String> HEADER_MEMBERS =
      Set.of("format", "version", "keyFormat", "valueFormat", "records");
  private static final Set<String> RECORD_MEMBERS = Set.of("key", "value");
  private static final Set<String> EXPIRING_RECORD_MEMBERS = Set.of("key", "value", "expiresAt");

  private DumpFormat() {
  }

  /** The first line of a dump; {@code version} is the one it was written in. */
  record Header(int version, Encoding keyFormat, Encoding valueFormat, long records) {
    Header(Encoding keyFormat, Encoding valueFormat, long records) {
      this(VERSION, keyFormat, valueFormat, records);
    }

    String line() {
      return Json.object(true)
          .add("format", FORMAT)
          .add("version", version)
          .add("keyFormat", keyFormat.label)
          .add("valueFormat", valueFormat.label)
          .add("records", records)
          .toString();
    }
  }

  /** One record of a dump; {@code expiresAt} null if the value does not expire. */
  record Entry(byte[] key, byte[] value, java.time.Instant expiresAt) {
  }

  /** A line that breaks the format: its 1-based number and what is wrong with it. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;
    private final long line;

    Malformed(long line, String problem) {
      super(problem);
      this.line = line;
    }

    long line() {
      return line;
    }
  }

  /**
   * The line for one record. The caller has checked that the header's formats
   * {@linkplain Encoding#canEncode can encode} the key and value.
   */
  static String recordLine(Header header, byte[] key, byte[] value, java.time.Instant expiresAt) {
    // Non-ASCII text stays as it is: the file is UTF-8, and utf8 dumps stay readable.
    Json.ObjectBuilder line = Json.object(false)
        .add("key", header.keyFormat().encode(key))
        .add("value", header.valueFormat().encode(value));
    if (expiresAt != null) {
      line.add("expiresAt", expiresAt.toString());
    }
    return line.toString();
  }

  /** Parses line 1. */
  static Header parseHeader(String text) throws Malformed {
    Map<String, Object> m = parse(text, 1, "the header");
    Object format = m.get("format");
    if (!FORMAT.equals(format)) {
      throw new Malformed(1, "this is not a Sett dump: the first line must be a header with"
          + " \"format\":\"" + FORMAT + "\" (as 'sett export' writes it), but it has "
          + (format == null ? "no \"format\" member" : "\"format\":" + show(format)));
    }
    Object version = m.get("version");
    if (!(version instanceof Long v) || v < 1) {
      throw new Malformed(1, "the header's \"version\" must be a positive integer, not " + show(version));
    }
    if (v != VERSION && v != VERSION_1) {
      throw new Malformed(1, "the dump has format version " + v + ", but this sett reads only versions "
          + VERSION_1 + " and " + VERSION + "; load it with the sett that exported it");
    }
    checkMembers(m, HEADER_MEMBERS, 1, "the header");
    Encoding keyFormat = encoding(m, "keyFormat");
    Encoding valueFormat = encoding(m, "valueFormat");
    Object records = m.get("records");
    if (!(records instanceof Long n) || n < 0) {
      throw new Malformed(1, "the header's \"records\" must be an integer of 0 or more, not " + show(records));
    }
    return new Header(v.intValue(), keyFormat, valueFormat, n);
  }

  /** Parses record line {@code lineNumber}. */
  static Entry parseRecord(Header header, String text, long lineNumber) throws Malformed {
    Map<String, Object> m = parse(text, lineNumber, "a record");
    boolean expiring = header.version() >= VERSION && m.containsKey("expiresAt");
    checkMembers(m, expiring ? EXPIRING_RECORD_MEMBERS : RECORD_MEMBERS, lineNumber, "a record");
    byte[] key = decode(header.keyFormat(), m.get("key"), "key", lineNumber);
    if (key.length == 0) {
      throw new Malformed(lineNumber, "the key is empty; Sett keys have at least one byte");
    }
    byte[] value = decode(header.valueFormat(), m.get("value"), "value", lineNumber);
    java.time.Instant expiresAt = null;
    if (expiring) {
      Object at = m.get("expiresAt");
      try {
        expiresAt = java.time.Instant.parse((String) at);
      } catch (ClassCastException | java.time.format.DateTimeParseException e) {
        throw new Malformed(lineNumber, "\"expiresAt\" must be an ISO-8601 instant in UTC such as"
            + " \"2026-12-05T10:15:30Z\", not " + show(at));
      }
    }
    return new Entry(key, value, expiresAt);
  }

  private static Map<String, Object> parse(String text, long lineNumber, String what) throws Malformed {
    try {
      return Json.parseObject(text);
    } catch (Json.ParseException e) {
      throw new Malformed(lineNumber, what + " must be one JSON object on one line; at " + e.describe());
    }
  }

  private static void checkMembers(Map<String, Object> m, Set<String> expected, long line, String what)
      throws Malformed {
    for (String name : expected) {
      if (!m.containsKey(name)) {
        throw new Malformed(line, what + " must have the member \"" + name + "\"; it has "
            + (m.isEmpty() ? "none" : String.join(", ", quoted(m.keySet()))));
      }
    }
    for (String name : m.keySet()) {
      if (!expected.contains(name)) {
        throw new Malformed(line, what + " has the unknown member \"" + name + "\"; it may have only "
            + String.join(", ", quoted(expected)));
      }
    }
  }

  private static Encoding encoding(Map<String, Object> m, String name) throws Malformed {
    Object v = m.get(name);
    Encoding e = v instanceof String s ? Encoding.of(s) : null;
    if (e == null) {
      throw new Malformed(1, "the header's \"" + name + "\" must be \"utf8\", \"hex\" or \"base64\", not "
          + show(v));
    }
    return e;
  }

  private static byte[] decode(Encoding format, Object v, String name, long line) throws Malformed {
    if (!(v instanceof String s)) {
      throw new Malformed(line, "the " + name + " must be a string, not " + show(v));
    }
    try {
      return format.decode(s);
    } catch (IllegalArgumentException e) {
      throw new Malformed(line, "the " + name + " is not valid " + format + " (the header's " + name
          + "Format): " + e.getMessage());
    }
  }

  private static String[] quoted(Set<String> names) {
    return names.stream().sorted().map(n -> "\"" + n + "\"").toArray(String[]::new);
  }

  /** A parsed JSON value for a message, cut short. */
  private static String show(Object v) {
    if (v == null) {
      return "nothing";
    }
    String s = v instanceof String str ? Json.quoteAscii(str) : v.toString();
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }

  /**
   * Reads a dump: the header on opening, then one record per {@link #next()}, checking every line
   * and the record count. Not thread-safe.
   */
  static final class Reader implements Closeable {
    private final LineReader lines;
    private final Header header;
    private final int maxKeySize;
    private final int maxValueSize;
    private long read;

    /**
     * Opens {@code file} and reads its header.
     *
     * @param maxKeySize a longer key is refused as {@link Malformed}, with its line
     * @param maxValueSize a longer value is refused likewise
     * @throws Malformed if the file is empty or its first line is not a valid header
     */
    Reader(Path file, int maxKeySize, int maxValueSize) throws IOException, Malformed {
      this.maxKeySize = maxKeySize;
      this.maxValueSize = maxValueSize;
      // The longest line a record within the limits can take: every byte escaped as JSON's
      // six-character backslash-u escape, plus the members' names. A longer line (or endless input without a
      // line end) is refused there, instead of growing a buffer until the JVM runs out of memory.
      lines = new LineReader(file, 6L * (maxKeySize + (long) maxValueSize) + 4096);
      try {
        String first = lines.readLine();
        if (first == null) {
          throw new Malformed(1, "the file is empty; a dump starts with a header line, as 'sett export'"
              + " writes it");
        }
        header = parseHeader(first);
      } catch (IOException | Malformed | RuntimeException e) {
        lines.close();
        throw e;
      }
    }

    Header header() {
      return header;
    }

    /** The next record, or null after the last one. */
    Entry next() throws IOException, Malformed {
      String text = lines.readLine();
      if (text == null) {
        if (read < header.records()) {
          throw new Malformed(lines.lineNumber() + 1, "the file ends after " + read + " of the "
              + header.records() + " records its header announces; it was probably cut short");
        }
        return null;
      }
      if (read == header.records()) {
        throw new Malformed(lines.lineNumber(), "the header announces " + header.records()
            + " records, but more lines follow");
      }
      long line = lines.lineNumber();
      Entry e = parseRecord(header, text, line);
      if (e.key().length > maxKeySize) {
        throw new Malformed(line, String.format(Locale.ROOT, "the key has %,d bytes, over the limit of"
            + " %,d bytes for a key", e.key().length, maxKeySize));
      }
      if (e.value().length > maxValueSize) {
        throw new Malformed(line, String.format(Locale.ROOT, "the value has %,d bytes, over the limit of"
            + " %,d bytes for a value", e.value().length, maxValueSize));
      }
      read++;
      return e;
    }

    /** The number of the line of the record {@link #next()} returned last. */
    long lineNumber() {
      return lines.lineNumber();
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }

  /**
   * Reads a dump line by line, counting lines, and decodes each line strictly as UTF-8, so that an
   * invalid byte is reported on the line that holds it. Not thread-safe.
   */
  private static final class LineReader implements Closeable {
    private final InputStream in;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[8192];
    private long lineNumber;
    private final long maxLineBytes;

    LineReader(Path file, long maxLineBytes) throws IOException {
      this.in = Files.newInputStream(file);
      this.maxLineBytes = Math.min(maxLineBytes, Integer.MAX_VALUE - 16);
    }

    /** The number of the line {@link #readLine()} returned last (1-based). */
    long lineNumber() {
      return lineNumber;
    }

    /**
     * The next line without its line end ({@code \n} or {@code \r\n}), or null at the end of the
     * file.
     *
     * @throws Malformed if the line is not valid UTF-8
     */
    String readLine() throws IOException, Malformed {
      int n = 0;
      boolean any = false;
      while (true) {
        if (chunkPos == chunkEnd) {
          chunkEnd = in.read(chunk);
          chunkPos = 0;
          if (chunkEnd <= 0) {
            chunkEnd = 0;
            if (!any) {
              return null;
            }
            break;
          }
        }
        any = true;
        int start = chunkPos;
        while (chunkPos < chunkEnd && chunk[chunkPos] != '\n') {
          chunkPos++;
        }
        int len = chunkPos - start;
        if ((long) n + len > maxLineBytes) {
          throw new Malformed(lineNumber + 1, String.format(Locale.ROOT, "the line is longer than %,d bytes,"
              + " more than any record within the store's limits can take; the file is not a dump 'sett"
              + " export' wrote, or it was damaged", maxLineBytes));
        }
        if (n + len > line.length) {
          line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, Math.max(line.length * 2L, n + len)));
        }
        System.arraycopy(chunk, start, line, n, len);
        n += len;
        if (chunkPos < chunkEnd) {
          chunkPos++; // the '\n'
          break;
        }
      }
      lineNumber++;
      if (n > 0 && line[n - 1] == '\r') {
        n--;
      }
      try {
        return utf8.decode(ByteBuffer.wrap(line, 0, n)).toString();
      } catch (CharacterCodingException e) {
        throw new Malformed(lineNumber, "the line is not valid UTF-8 (a dump is UTF-8 text)");
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
