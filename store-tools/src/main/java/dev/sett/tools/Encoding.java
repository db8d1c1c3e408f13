package dev.sett.tools;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How keys and values, which are arbitrary bytes, are written as text: on the command line, in
 * output and in export dumps ({@code --key-format}, {@code --value-format}).
 *
 * <table>
 *   <caption>The formats</caption>
 *   <tr><th>name</th><th>text</th><th>can hold</th></tr>
 *   <tr><td>{@code utf8}</td><td>the bytes decoded as UTF-8</td>
 *       <td>only byte strings that are valid UTF-8 (strictly: no overlong forms, no encoded
 *       surrogates), so that decoding and encoding again gives the same bytes</td></tr>
 *   <tr><td>{@code hex}</td><td>two lower-case hex digits per byte; upper case is accepted on input,
 *       and on the command line also a leading {@code 0x}</td><td>any bytes</td></tr>
 *   <tr><td>{@code base64}</td><td>RFC 4648 base64 with padding (optional on input)</td><td>any bytes</td></tr>
 * </table>
 *
 * <p>When no format is given for output, a key or value is shown as {@code utf8} if it
 * {@linkplain #isText is text}, and as hex otherwise ({@link #auto}).
 *
 * <p>Stateless and thread-safe.
 */
enum Encoding {
  UTF8("utf8"),
  HEX("hex"),
  BASE64("base64");

  /** The name used on the command line and in dumps. */
  final String label;

  Encoding(String label) {
    this.label = label;
  }

  @Override
  public String toString() {
    return label;
  }

  /** The format named {@code label} (as on the command line), or null if there is none. */
  static Encoding of(String label) {
    for (Encoding e : values()) {
      if (e.label.equals(label)) {
        return e;
      }
    }
    return null;
  }

  /**
   * The most characters {@code bytes} bytes take in this format inside a JSON string, as export
   * writes them: two per byte in hex, four per three in base64, and in utf8 six per byte (a control
   * character is escaped as a six-character backslash-u sequence).
   */
  long maxJsonLength(long bytes) {
    return switch (this) {
      case UTF8 -> 6 * bytes;
      case HEX -> 2 * bytes;
      case BASE64 -> 4 * ((bytes + 2) / 3);
    };
  }

  /** Whether {@link #encode} can represent {@code bytes}: always, except UTF-8 for invalid input. */
  boolean canEncode(byte[] bytes) {
    return this != UTF8 || utf8(bytes) != null;
  }

  /**
   * {@code bytes} as text in this format.
   *
   * @throws IllegalArgumentException for {@link #UTF8} if the bytes are not valid UTF-8
   */
  String encode(byte[] bytes) {
    return switch (this) {
      case UTF8 -> {
        String s = utf8(bytes);
        if (s == null) {
          throw new IllegalArgumentException("the bytes are not valid UTF-8");
        }
        yield s;
      }
      case HEX -> hex(bytes, bytes.length);
      case BASE64 -> Base64.getEncoder().encodeToString(bytes);
    };
  }

  /**
   * The bytes that {@code text} stands for.
   *
   * @throws IllegalArgumentException whose message says what is wrong with the text, to follow
   *     "... is not valid hex: "
   */
  byte[] decode(String text) {
    return switch (this) {
      case UTF8 -> {
        try {
          ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
          yield Arrays.copyOf(b.array(), b.limit());
        } catch (CharacterCodingException e) {
          throw new IllegalArgumentException("it holds an unpaired surrogate (a lone escape in"
              + " \\ud800-\\udfff), which UTF-8 cannot encode");
        }
      }
      case HEX -> unhex(text);
      case BASE64 -> {
        try {
          yield Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(e.getMessage());
        }
      }
    };
  }

  /**
   * Like {@link #decode}, for an argument typed on the command line: hex may also start with
   * {@code 0x}, as hex is shown in tables.
   */
  byte[] decodeArgument(String text) {
    if (this == HEX && (text.startsWith("0x") || text.startsWith("0X"))) {
      return unhex(text.substring(2));
    }
    return decode(text);
  }

  /**
   * The format that output uses for {@code bytes} when none was asked for: {@link #UTF8} if they
   * {@linkplain #isText are text}, else {@link #HEX}.
   */
  static Encoding auto(byte[] bytes) {
    return isText(bytes) ? UTF8 : HEX;
  }

  /**
   * Whether {@code bytes} are valid UTF-8 made of printable characters: no control character other
   * than tab, line feed and carriage return (so no NUL, no escape sequences for a terminal).
   */
  static boolean isText(byte[] bytes) {
    String s = utf8(bytes);
    if (s == null) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return false;
      }
    }
    return true;
  }

  /** {@code bytes} strictly decoded as UTF-8, or null if they are not valid UTF-8. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The first {@code limit} bytes (at most) of {@code bytes} in lower-case hex. */
  static String hex(byte[] bytes, int limit) {
    int n = Math.min(limit, bytes.length);
    StringBuilder sb = new StringBuilder(2 * n);
    for (int i = 0; i < n; i++) {
      sb.append(Character.forDigit((bytes[i] >> 4) & 0xF, 16)).append(Character.forDigit(bytes[i] & 0xF, 16));
    }
    return sb.toString();
  }

  private static byte[] unhex(String text) {
    if (text.length() % 2 != 0) {
      throw new IllegalArgumentException("it has an odd number of digits (" + text.length()
          + "); write two per byte, such as 00ff");
    }
    byte[] b = new byte[text.length() / 2];
    for (int i = 0; i < b.length; i++) {
      int hi = Character.digit(text.charAt(2 * i), 16);
      int lo = Character.digit(text.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        int bad = hi < 0 ? 2 * i : 2 * i + 1;
        throw new IllegalArgumentException("character " + (bad + 1) + " is '" + text.charAt(bad)
            + "', not a hex digit (0-9, a-f)");
      }
      b[i] = (byte) (hi << 4 | lo);
    }
    return b;
  }

  /**
   * A key (or value) for a one-line message: {@code 'text'} if it is short text on one line, else
   * {@code 0x} and its hex, cut after 32 bytes.
   */
  static String describe(byte[] bytes) {
    if (bytes.length <= 64 && isText(bytes)) {
      String s = utf8(bytes);
      if (s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.indexOf('\t') < 0) {
        return "'" + s + "'";
      }
    }
    return bytes.length <= 32 ? "0x" + hex(bytes, 32)
        : String.format(Locale.ROOT, "0x%s... (%,d bytes)", hex(bytes, 32), bytes.length);
  }

  /** Converts a {@code --key-format}/{@code --value-format} argument. */
  static final class Converter implements ITypeConverter<Encoding> {
    @Override
    public Encoding convert(String value) {
      Encoding e = of(value.toLowerCase(Locale.ROOT));
      if (e == null) {
        throw new TypeConversionException("'" + value + "' is not a format; use utf8, hex or base64");
      }
      return e;
    }
  }

  /** The format names, for picocli's {@code ${COMPLETION-CANDIDATES}} and shell completion. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of(UTF8.label, HEX.label, BASE64.label).iterator();
    }
  }
}
