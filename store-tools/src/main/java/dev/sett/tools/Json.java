package dev.sett.tools;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON the command line reads and writes, by hand and without a library: string literals
 * escaped per RFC 8259, a builder for flat objects, and a parser for flat objects.
 *
 * <p>"Flat" means that every member value is a string, an integer, {@code true}, {@code false} or
 * {@code null}; nested objects, arrays and fractional numbers are refused. That covers every object
 * Sett writes: {@code --json} output, JSON Lines from {@code scan}, and the lines of an
 * {@code export} dump.
 *
 * <p>Escaping: {@code "} and {@code \} and every control character below U+0020 are escaped
 * ({@code \b \f \n \r \t} by name, the others as a backslash, u and four hex digits); so is any
 * unpaired surrogate, which UTF-8 cannot encode. Characters outside the Basic Multilingual Plane
 * stay one surrogate pair, so they reach a UTF-8 file as one four-byte sequence. {@link #quoteAscii}
 * escapes every non-ASCII character too, for output whose charset is not known (standard output).
 *
 * <p>Stateless and thread-safe; {@link ObjectBuilder} is not thread-safe.
 */
final class Json {
  /** The value of a JSON {@code null} member in a parsed object. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private Json() {
  }

  /** {@code s} as a JSON string literal; non-ASCII characters are kept as they are. */
  static String quote(String s) {
    return appendQuoted(new StringBuilder(s.length() + 2), s, false).toString();
  }

  /** {@code s} as a JSON string literal made of ASCII characters only. */
  static String quoteAscii(String s) {
    return appendQuoted(new StringBuilder(s.length() + 2), s, true).toString();
  }

  static StringBuilder appendQuoted(StringBuilder sb, String s, boolean asciiOnly) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || (asciiOnly && c > 0x7E)) {
            appendUnicodeEscape(sb, c);
          } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i)); // a pair: one character outside the BMP
          } else if (Character.isSurrogate(c)) {
            appendUnicodeEscape(sb, c); // unpaired: UTF-8 has no encoding for it
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"');
  }

  private static void appendUnicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u");
    for (int shift = 12; shift >= 0; shift -= 4) {
      sb.append(Character.forDigit((c >> shift) & 0xF, 16));
    }
  }

  /** Starts a flat object written on one line, members in the order they are added. */
  static ObjectBuilder object(boolean asciiOnly) {
    return new ObjectBuilder(asciiOnly);
  }

  /** Builds one flat JSON object on one line: {@code {"a":"x","n":3}}. */
  static final class ObjectBuilder {
    private final StringBuilder sb = new StringBuilder("{");
    private final boolean asciiOnly;

    private ObjectBuilder(boolean asciiOnly) {
      this.asciiOnly = asciiOnly;
    }

    ObjectBuilder add(String name, String value) {
      name(name);
      if (value == null) {
        sb.append("null");
      } else {
        appendQuoted(sb, value, asciiOnly);
      }
      return this;
    }

    ObjectBuilder add(String name, long value) {
      name(name).append(value);
      return this;
    }

    ObjectBuilder add(String name, boolean value) {
      name(name).append(value);
      return this;
    }

    private StringBuilder name(String name) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      return appendQuoted(sb, name, asciiOnly).append(':');
    }

    @Override
    public String toString() {
      return sb + "}";
    }
  }

  /** Why a text is not a flat JSON object, and at which character (0-based) it went wrong. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int position;

    ParseException(int position, String problem) {
      super(problem);
      this.position = position;
    }

    /** Index of the offending character in the parsed text. */
    int position() {
      return position;
    }

    /** The problem with its 1-based column: {@code "column 7: expected ':' after a member name"}. */
    String describe() {
      return "column " + (position + 1) + ": " + getMessage();
    }
  }

  /**
   * Parses one flat JSON object, the whole of {@code text} (whitespace around it allowed). Member
   * values come back as {@link String}, {@link Long}, {@link Boolean} or {@link #NULL}.
   *
   * @return the members in their order in the text (an unmodifiable map)
   * @throws ParseException if the text is not exactly one flat object, or a member name repeats
   */
  static Map<String, Object> parseObject(String text) throws ParseException {
    return new Parser(text).object();
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Map<String, Object> object() throws ParseException {
      skipSpace();
      if (i >= s.length()) {
        throw new ParseException(i, "expected a JSON object '{...}', found an empty line");
      }
      expect('{', "a JSON object '{...}'");
      Map<String, Object> members = new LinkedHashMap<>();
      skipSpace();
      if (peek() == '}') {
        i++;
      } else {
        while (true) {
          skipSpace();
          int nameStart = i;
          if (peek() != '"') {
            throw new ParseException(i, "expected a member name in double quotes, found " + found());
          }
          String name = string();
          skipSpace();
          expect(':', "':' after the member name");
          skipSpace();
          Object value = value(name);
          if (members.putIfAbsent(name, value) != null) {
            throw new ParseException(nameStart, "member \"" + name + "\" appears twice");
          }
          skipSpace();
          char c = peek();
          if (c == ',') {
            i++;
          } else if (c == '}') {
            i++;
            break;
          } else {
            throw new ParseException(i, "expected ',' or '}' after a member, found " + found());
          }
        }
      }
      skipSpace();
      if (i < s.length()) {
        throw new ParseException(i, "unexpected " + found() + " after the end of the object");
      }
      return Collections.unmodifiableMap(members);
    }

    private Object value(String name) throws ParseException {
      char c = peek();
      if (c == '"') {
        return string();
      }
      if (c == '-' || (c >= '0' && c <= '9')) {
        return integer();
      }
      if (c == '{' || c == '[') {
        throw new ParseException(i, "member \"" + name + "\" holds " + (c == '{' ? "an object" : "an array")
            + "; only strings, integers, true, false and null are expected here");
      }
      for (String word : new String[] {"true", "false", "null"}) {
        if (s.startsWith(word, i)) {
          i += word.length();
          return word.equals("null") ? NULL : Boolean.valueOf(word.equals("true"));
        }
      }
      throw new ParseException(i, "expected a value for member \"" + name + "\", found " + found());
    }

    /** A JSON integer: -?(0|[1-9][0-9]*), within the range of a long. */
    private Long integer() throws ParseException {
      int start = i;
      if (peek() == '-') {
        i++;
      }
      int digits = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      if (i == digits) {
        throw new ParseException(i, "expected a digit after '-', found " + found());
      }
      if (s.charAt(digits) == '0' && i - digits > 1) {
        throw new ParseException(digits, "a number must not start with 0");
      }
      char c = peek();
      if (c == '.' || c == 'e' || c == 'E') {
        throw new ParseException(i, "only integers are expected, not fractions or exponents");
      }
      try {
        return Long.valueOf(s.substring(start, i));
      } catch (NumberFormatException e) {
        throw new ParseException(start, "the number " + s.substring(start, i) + " is too large");
      }
    }

    private String string() throws ParseException {
      int start = i;
      i++; // the opening quote
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new ParseException(start, "the string starting here is not closed with '\"'");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return sb.toString();
        }
        if (c < 0x20) {
          throw new ParseException(i - 1, String.format(Locale.ROOT, "control character U+%04X must be escaped"
              + " inside a string", (int) c));
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw new ParseException(i - 1, "the string ends in the middle of an escape sequence");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"' -> sb.append('"');
          case '\\' -> sb.append('\\');
          case '/' -> sb.append('/');
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> sb.append(unicodeEscape());
          default -> throw new ParseException(i - 2, "unknown escape sequence '\\" + e + "'");
        }
      }
    }

    /** The four hex digits of a backslash-u escape. */
    private char unicodeEscape() throws ParseException {
      if (i + 4 > s.length()) {
        throw new ParseException(i - 2, "'\\u' must be followed by four hex digits");
      }
      int v = 0;
      for (int k = 0; k < 4; k++) {
        int d = Character.digit(s.charAt(i + k), 16);
        if (d < 0) {
          throw new ParseException(i - 2, "'\\u' must be followed by four hex digits");
        }
        v = (v << 4) | d;
      }
      i += 4;
      return (char) v;
    }

    private void expect(char c, String what) throws ParseException {
      if (peek() != c) {
        throw new ParseException(i, "expected " + what + ", found " + found());
      }
      i++;
    }

    private char peek() {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private String found() {
      if (i >= s.length()) {
        return "the end of the line";
      }
      char c = s.charAt(i);
      return c < 0x20 || c > 0x7E ? String.format(Locale.ROOT, "U+%04X", (int) c) : "'" + c + "'";
    }

    private void skipSpace() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        i++;
      }
    }
  }
}
