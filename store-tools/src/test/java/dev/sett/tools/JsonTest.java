package dev.sett.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Json}: escaping, the flat-object builder and parser. */
class JsonTest {

  @Test
  void quoteEscapesQuotesBackslashesAndNamedControlCharacters() {
    assertEquals("\"a\\\"b\\\\c\"", Json.quote("a\"b\\c"));
    assertEquals("\"\\b\\f\\n\\r\\t\"", Json.quote("\b\f\n\r\t"));
  }

  @Test
  void quoteEscapesOtherControlCharactersAsFourHexDigits() {
    assertEquals("\"\\u0000\\u0001\\u001f\"", Json.quote("\u0000\u0001\u001f"));
  }

  @Test
  void quoteKeepsNonAsciiAndCharactersOutsideTheBmp() {
    String s = "é€\uD83D\uDE00"; // é, euro sign, and U+1F600 as a surrogate pair
    assertEquals("\"" + s + "\"", Json.quote(s));
  }

  @Test
  void quoteAsciiEscapesNonAsciiWithSurrogatePairsForNonBmp() {
    assertEquals("\"\\u00e9\\u20ac\\ud83d\\ude00\\u007f\"", Json.quoteAscii("é€\uD83D\uDE00\u007f"));
  }

  @Test
  void quoteEscapesUnpairedSurrogatesWhichUtf8CannotEncode() {
    assertEquals("\"a\\ud800b\"", Json.quote("a\uD800b"));
    assertEquals("\"\\udc00\"", Json.quote("\uDC00"));
    assertEquals("\"\\ude00\\ud83d\"", Json.quote("\uDE00\uD83D")); // a pair in the wrong order
  }

  @Test
  void objectBuilderWritesMembersInOrderOnOneLine() {
    String json = Json.object(false).add("s", "x\ny").add("n", -42).add("t", true).add("z", (String) null)
        .toString();
    assertEquals("{\"s\":\"x\\ny\",\"n\":-42,\"t\":true,\"z\":null}", json);
  }

  @Test
  void parseReadsEveryKindOfFlatMember() throws Exception {
    Map<String, Object> m = Json.parseObject(
        " { \"s\" : \"v\" , \"n\":0,\"neg\":-17,\"big\":9223372036854775807,\"t\":true,\"f\":false,\"z\":null } ");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "v");
    expected.put("n", 0L);
    expected.put("neg", -17L);
    expected.put("big", Long.MAX_VALUE);
    expected.put("t", true);
    expected.put("f", false);
    expected.put("z", Json.NULL);
    assertEquals(expected, m);
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(m.keySet()), "order of the text");
  }

  @Test
  void parseReadsAnEmptyObject() throws Exception {
    assertEquals(Map.of(), Json.parseObject("{}"));
  }

  @Test
  void parseDecodesEveryEscapeIncludingSurrogatePairs() throws Exception {
    Map<String, Object> m = Json.parseObject(
        "{\"k\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\\u00E9\\ud83d\\ude00\"}");
    assertEquals("\"\\/\b\f\n\r\tAé\uD83D\uDE00", m.get("k"));
  }

  @Test
  void quoteThenParseGivesBackEveryString() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 2_000; i++) {
      char[] chars = new char[random.nextInt(20)];
      for (int j = 0; j < chars.length; j++) {
        // Mostly the interesting range: controls, ASCII, Latin-1, and surrogates (paired or not).
        int kind = random.nextInt(4);
        chars[j] = (char) (kind == 0 ? random.nextInt(0x20) : kind == 1 ? random.nextInt(0x80, 0x100)
            : kind == 2 ? random.nextInt(0xD800, 0xE000) : random.nextInt(0x10000));
      }
      String s = new String(chars);
      assertEquals(s, Json.parseObject("{\"k\":" + Json.quote(s) + "}").get("k"), "quote: " + s);
      assertEquals(s, Json.parseObject("{\"k\":" + Json.quoteAscii(s) + "}").get("k"), "ascii: " + s);
      assertTrue(Json.quoteAscii(s).chars().allMatch(c -> c >= 0x20 && c < 0x7F));
    }
  }

  @Test
  void parseRefusesWhatIsNotOneFlatObject() {
    String[][] cases = {
        {"", "empty line"},
        {"[1]", "expected a JSON object"},
        {"{\"a\":1", "expected ',' or '}'"},
        {"{\"a\":1}x", "after the end of the object"},
        {"{\"a\":1}{}", "after the end of the object"},
        {"{a:1}", "member name in double quotes"},
        {"{\"a\" 1}", "expected ':'"},
        {"{\"a\":}", "expected a value"},
        {"{\"a\":{}}", "holds an object"},
        {"{\"a\":[]}", "holds an array"},
        {"{\"a\":1,\"a\":2}", "appears twice"},
        {"{\"a\":01}", "must not start with 0"},
        {"{\"a\":1.5}", "only integers"},
        {"{\"a\":1e3}", "only integers"},
        {"{\"a\":-}", "expected a digit"},
        {"{\"a\":99999999999999999999}", "too large"},
        {"{\"a\":\"x}", "not closed"},
        {"{\"a\":\"x\ty\"}", "control character U+0009 must be escaped"},
        {"{\"a\":\"\\x\"}", "unknown escape"},
        {"{\"a\":\"\\u12\"}", "four hex digits"},
        {"{\"a\":\"\\u12g4\"}", "four hex digits"},
        {"{\"a\":tru}", "expected a value"},
        {"{\"a\":1,}", "member name in double quotes"},
    };
    for (String[] c : cases) {
      Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parseObject(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
    }
  }

  @Test
  void parseErrorsGiveTheColumnOfTheOffendingCharacter() {
    Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parseObject("{\"a\":1 x}"));
    assertEquals(7, e.position());
    assertEquals("column 8: expected ',' or '}' after a member, found 'x'", e.describe());
  }
}
