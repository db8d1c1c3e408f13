package dev.sett.tools;

import static dev.sett.tools.Stores.bytes;
import static dev.sett.tools.Stores.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Encoding}: the three formats, text detection, and messages. */
class EncodingTest {
  private static final byte[] BINARY = bytes(0x00, 0xFF, 0x10, 0x80, 0x7F);

  @Test
  void everyFormatGivesBackTheBytesItEncoded() {
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 500; i++) {
      byte[] b = new byte[random.nextInt(40)];
      random.nextBytes(b);
      assertArrayEquals(b, Encoding.HEX.decode(Encoding.HEX.encode(b)));
      assertArrayEquals(b, Encoding.BASE64.decode(Encoding.BASE64.encode(b)));
      if (Encoding.UTF8.canEncode(b)) {
        assertArrayEquals(b, Encoding.UTF8.decode(Encoding.UTF8.encode(b)));
      }
    }
    byte[] text = utf8("héllo \uD83D\uDE00\n");
    assertArrayEquals(text, Encoding.UTF8.decode(Encoding.UTF8.encode(text)));
  }

  @Test
  void hexIsLowerCaseAndAcceptsUpperCase() {
    assertEquals("00ff107f", Encoding.HEX.encode(bytes(0x00, 0xFF, 0x10, 0x7F)));
    assertArrayEquals(bytes(0xAB, 0xCD), Encoding.HEX.decode("ABcd"));
  }

  @Test
  void anEmptyValueIsAnEmptyStringInEveryFormat() {
    for (Encoding e : Encoding.values()) {
      assertEquals("", e.encode(new byte[0]), e.label);
      assertArrayEquals(new byte[0], e.decode(""), e.label);
    }
  }

  @Test
  void utf8RefusesInvalidBytesOverlongFormsAndEncodedSurrogates() {
    assertFalse(Encoding.UTF8.canEncode(bytes(0xFF)));
    assertFalse(Encoding.UTF8.canEncode(bytes(0xC0, 0x80)), "overlong NUL");
    assertFalse(Encoding.UTF8.canEncode(bytes(0xED, 0xA0, 0x80)), "a surrogate encoded as UTF-8");
    assertFalse(Encoding.UTF8.canEncode(bytes(0xE2, 0x82)), "cut short");
    assertTrue(Encoding.HEX.canEncode(bytes(0xFF)));
    assertThrows(IllegalArgumentException.class, () -> Encoding.UTF8.encode(bytes(0xFF)));
  }

  @Test
  void utf8DecodeRefusesAnUnpairedSurrogate() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Encoding.UTF8.decode("a\uD800"));
    assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
  }

  @Test
  void hexAndBase64ErrorsSayWhatIsWrong() {
    assertEquals("it has an odd number of digits (3); write two per byte, such as 00ff",
        assertThrows(IllegalArgumentException.class, () -> Encoding.HEX.decode("abc")).getMessage());
    assertEquals("character 2 is 'g', not a hex digit (0-9, a-f)",
        assertThrows(IllegalArgumentException.class, () -> Encoding.HEX.decode("ag")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Encoding.BASE64.decode("a-b="));
  }

  @Test
  void hexArgumentsMayStartWith0xButDumpHexMayNot() {
    assertArrayEquals(bytes(0x00, 0xFF), Encoding.HEX.decodeArgument("0x00ff"));
    assertArrayEquals(bytes(0x00, 0xFF), Encoding.HEX.decodeArgument("0X00FF"));
    assertThrows(IllegalArgumentException.class, () -> Encoding.HEX.decode("0x00ff"));
    assertArrayEquals(utf8("0x1"), Encoding.UTF8.decodeArgument("0x1"));
  }

  @Test
  void textIsValidUtf8WithoutControlCharactersOtherThanTabAndLineBreaks() {
    assertTrue(Encoding.isText(utf8("plain")));
    assertTrue(Encoding.isText(utf8("two\nlines\twith tab\r")));
    assertTrue(Encoding.isText(utf8("ünïcödé \uD83D\uDE00")));
    assertTrue(Encoding.isText(new byte[0]));
    assertFalse(Encoding.isText(bytes('a', 0x00)), "NUL");
    assertFalse(Encoding.isText(bytes(0x1B, '[', '2', 'J')), "a terminal escape sequence");
    assertFalse(Encoding.isText(utf8("\u0085")), "a C1 control");
    assertFalse(Encoding.isText(BINARY));
    assertEquals(Encoding.UTF8, Encoding.auto(utf8("x")));
    assertEquals(Encoding.HEX, Encoding.auto(BINARY));
  }

  @Test
  void describeQuotesShortTextAndShowsOtherBytesInHex() {
    assertEquals("'user:1'", Encoding.describe(utf8("user:1")));
    assertEquals("0x00ff107f80", Encoding.describe(bytes(0x00, 0xFF, 0x10, 0x7F, 0x80)));
    assertEquals("0x610a62", Encoding.describe(utf8("a\nb")), "a message stays on one line");
    byte[] big = new byte[100];
    assertEquals("0x" + "00".repeat(32) + "... (100 bytes)", Encoding.describe(big));
  }

  @Test
  void converterAcceptsAnyCaseAndNamesTheFormatsOnError() {
    Encoding.Converter c = new Encoding.Converter();
    assertEquals(Encoding.BASE64, c.convert("BASE64"));
    assertEquals(Encoding.UTF8, c.convert("utf8"));
    Exception e = assertThrows(Exception.class, () -> c.convert("utf-16"));
    assertEquals("'utf-16' is not a format; use utf8, hex or base64", e.getMessage());
  }
}
