package dev.sett.tools;

import dev.sett.api.StoreOptions;
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
 *       <td>{@code {"format":"sett-export","version":1,"keyFormat":"base64","valueFormat":"base64","records":2}}</td></tr>
 *   <tr><td>2 to records + 1</td><td>one record: a key and its value, written in the header's
 *       formats</td><td>{@code {"key":"YQ==","value":"AP8="}}</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Members of the header</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code format}</td><td>string</td><td>always {@code "sett-export"}</td></tr>
 *   <tr><td>{@code version}</td><td>integer</td><td>{@value #VERSION}; a reader refuses a version it
 *       does not know</td></tr>
 *   <tr><td>{@code keyFormat}</td><td>string</td><td>how every key is written: {@code utf8},
 *       {@code hex} or {@code base64} (see {@link Encoding})</td></tr>
 *   <tr><td>{@code valueFormat}</td><td>string</td><td>the same for every value</td></tr>
 *   <tr><td>{@code records}</td><td>integer</td><td>how many record lines follow; a file with fewer
 *       (cut short) or more is refused</td></tr>
 * </table>
 *
 * <p>Rules: each line holds exactly the members listed (in any order), so a typo is an error rather
 * than ignored data; keys are not empty; no line is empty; whitespace between JSON tokens and a
 * {@code \r\n} line end are accepted. {@code export} writes the records in ascending unsigned key
 * order, from one snapshot; {@code load} accepts any order, and when a key appears twice the later
 * line wins. With {@code utf8}, strings hold the text itself (control characters, {@code "} and
 * {@code \} escaped), so the bytes must be valid UTF-8; {@code hex} and {@code base64} hold any bytes.
 *
 * <p>Stateless apart from {@link Reader}, which is not thread-safe.
 */
final class DumpFormat {
  static final String FORMAT = "sett-export";
  static final int VERSION = 1;

  private static final Set<String> HEADER_MEMBERS =
      Set.of("format", "version", "keyFormat", "valueFormat", "records");
  private static final Set<String> RECORD_MEMBERS = Set.of("key", "value");
  /** The longest header line a reader takes: a header has five short members. */
  static final int MAX_HEADER_LINE = 64 << 10;
  /** What a record line may hold besides its key and value: braces, member names, whitespace. */
  static final int RECORD_LINE_SLACK = 4096;

  private DumpFormat() {
  }

  /** The first line of a dump. */
  record Header(Encoding keyFormat, Encoding valueFormat, long records) {
    /**
     * The longest record line of this dump a reader takes: the line of a key of the format's largest
     * size and a value of {@code maxValueSize}, plus {@value #RECORD_LINE_SLACK} bytes. A longer line
     * cannot be a record, so it is refused once that many bytes are read, whatever follows.
     */
    long maxRecordLine(int maxValueSize) {
      return keyFormat.maxJsonLength(StoreOptions.MAX_KEY_SIZE_LIMIT) + valueFormat.maxJsonLength(maxValueSize)
          + RECORD_LINE_SLACK;
    }

    String line() {
      return Json.object(true)
          .add("format", FORMAT)
          .add("version", VERSION)
          .add("keyFormat", keyFormat.label)
          .add("valueFormat", valueFormat.label)
          .add("records", records)
          .toString();
    }
  }

  /** One record of a dump. */
  record Entry(byte[] key, byte[] value) {
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
  static String recordLine(Header header, byte[] key, byte[] value) {
    // Non-ASCII text stays as it is: the file is UTF-8, and utf8 dumps stay readable.
    return Json.object(false)
        .add("key", header.keyFormat().encode(key))
        .add("value", header.valueFormat().encode(value))
        .toString();
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
    if (v != VERSION) {
      throw new Malformed(1, "the dump has format version " + v + ", but this sett reads only version "
          + VERSION + "; load it with the sett that exported it");
    }
    checkMembers(m, HEADER_MEMBERS, 1, "the header");
    Encoding keyFormat = encoding(m, "keyFormat");
    Encoding valueFormat = encoding(m, "valueFormat");
    Object records = m.get("records");
    if (!(records instanceof Long n) || n < 0) {
      throw new Malformed(1, "the header's \"records\" must be an integer of 0 or more, not " + show(records));
    }
    return new Header(keyFormat, valueFormat, n);
  }

  /** Parses record line {@code lineNumber}. */
  static Entry parseRecord(Header header, String text, long lineNumber) throws Malformed {
    Map<String, Object> m = parse(text, lineNumber, "a record");
    checkMembers(m, RECORD_MEMBERS, lineNumber, "a record");
    byte[] key = decode(header.keyFormat(), m.get("key"), "key", lineNumber);
    if (key.length == 0) {
      throw new Malformed(lineNumber, "the key is empty; Sett keys have at least one byte");
    }
    byte[] value = decode(header.valueFormat(), m.get("value"), "value", lineNumber);
    return new Entry(key, value);
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
    private final int maxLine;
    private final String tooLong;
    private long read;

    /**
     * Opens {@code file} and reads its header.
     *
     * @param maxKeySize a longer key is refused as {@link Malformed}, with its line
     * @param maxValueSize a longer value is refused likewise; with the key size the format allows,
     *     it also bounds the length of a line ({@link Header#maxRecordLine}), so that a reader never
     *     holds more than one record's line, however long the file's lines are
     * @throws Malformed if the file is empty or its first line is not a valid header
     */
    Reader(Path file, int maxKeySize, int maxValueSize) throws IOException, Malformed {
      this.maxKeySize = maxKeySize;
      this.maxValueSize = maxValueSize;
      lines = new LineReader(file);
      try {
        String first = lines.readLine(MAX_HEADER_LINE, String.format(Locale.ROOT, "the line is longer than a"
            + " dump's header can be (%,d bytes); this is not a dump written by 'sett export'", MAX_HEADER_LINE));
        if (first == null) {
          throw new Malformed(1, "the file is empty; a dump starts with a header line, as 'sett export'"
              + " writes it");
        }
        header = parseHeader(first);
        long limit = header.maxRecordLine(maxValueSize);
        maxLine = (int) Math.min(limit, Integer.MAX_VALUE - 8);
        tooLong = String.format(Locale.ROOT, "the line is longer than any record line can be (%,d bytes for"
            + " keys of up to %,d bytes in %s and values of up to %,d bytes in %s)", limit,
            StoreOptions.MAX_KEY_SIZE_LIMIT, header.keyFormat(), maxValueSize, header.valueFormat());
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
      String text = lines.readLine(maxLine, tooLong);
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

    /** How many records {@link #next()} has returned. */
    long recordsRead() {
      return read;
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

    LineReader(Path file) throws IOException {
      this.in = Files.newInputStream(file);
    }

    /** The number of the line {@link #readLine()} returned last (1-based). */
    long lineNumber() {
      return lineNumber;
    }

    /**
     * The next line without its line end ({@code \n} or {@code \r\n}), or null at the end of the
     * file.
     *
     * @param limit the longest line taken: reading stops once a line has more bytes than this
     * @param tooLong what is wrong with a longer line
     * @throws Malformed if the line is longer than {@code limit} or not valid UTF-8
     */
    String readLine(int limit, String tooLong) throws IOException, Malformed {
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
        if ((long) n + len > limit + 1L) { // + 1: the '\r' of a "\r\n" line end
          lineNumber++;
          throw new Malformed(lineNumber, tooLong);
        }
        if (n + len > line.length) {
          line = Arrays.copyOf(line, (int) Math.min(Math.max(line.length * 2L, n + len), limit + 1L));
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
