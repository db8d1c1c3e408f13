package dev.sett.ycsb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.StringByteIterator;

class RecordCodecTest {

  private static Map<String, byte[]> decodeAll(byte[] encoded, Set<String> wanted) {
    Map<String, ByteIterator> result = new HashMap<>();
    RecordCodec.decode(encoded, ByteAccess.ARRAY, wanted, result);
    Map<String, byte[]> bytes = new HashMap<>();
    result.forEach((k, v) -> bytes.put(k, v.toArray()));
    return bytes;
  }

  private static Map<String, ByteIterator> record(Map<String, String> fields) {
    Map<String, ByteIterator> record = new LinkedHashMap<>();
    fields.forEach((k, v) -> record.put(k, new StringByteIterator(v)));
    return record;
  }

  @Test
  void everyFieldAndValueSurvivesARoundTrip() {
    byte[] encoded = RecordCodec.encode(record(Map.of("field0", "alpha", "field1", "beta", "field2", "gamma")));

    Map<String, byte[]> decoded = decodeAll(encoded, null);

    assertEquals(Set.of("field0", "field1", "field2"), decoded.keySet());
    assertArrayEquals("alpha".getBytes(StandardCharsets.UTF_8), decoded.get("field0"));
    assertArrayEquals("beta".getBytes(StandardCharsets.UTF_8), decoded.get("field1"));
    assertArrayEquals("gamma".getBytes(StandardCharsets.UTF_8), decoded.get("field2"));
  }

  @Test
  void binaryValuesAndNonAsciiNamesSurviveARoundTrip() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    Map<String, ByteIterator> record = new HashMap<>();
    record.put("名前", new ByteArrayByteIterator(all));

    Map<String, byte[]> decoded = decodeAll(RecordCodec.encode(record), null);

    assertArrayEquals(all, decoded.get("名前"));
  }

  @Test
  void anEmptyRecordIsACountOfZeroAndDecodesToNoFields() {
    byte[] encoded = RecordCodec.encode(Map.of());

    assertArrayEquals(new byte[] {0, 0, 0, 0}, encoded);
    assertTrue(decodeAll(encoded, null).isEmpty());
  }

  @Test
  void emptyValuesAndAnEmptyNameSurviveARoundTrip() {
    Map<String, byte[]> decoded = decodeAll(RecordCodec.encode(record(Map.of("field0", "", "", "x", "field2", ""))), null);

    assertEquals(Set.of("field0", "", "field2"), decoded.keySet());
    assertArrayEquals(new byte[0], decoded.get("field0"));
    assertArrayEquals("x".getBytes(StandardCharsets.UTF_8), decoded.get(""));
    assertArrayEquals(new byte[0], decoded.get("field2"));
  }

  @Test
  void aFieldSetSelectsOnlyThoseFieldsAndIgnoresNamesTheRecordLacks() {
    byte[] encoded = RecordCodec.encode(record(Map.of("field0", "a", "field1", "b", "field2", "c")));

    Map<String, byte[]> decoded = decodeAll(encoded, Set.of("field1", "field9"));

    assertEquals(Set.of("field1"), decoded.keySet());
    assertArrayEquals("b".getBytes(StandardCharsets.UTF_8), decoded.get("field1"));
  }

  @Test
  void theLayoutIsCountThenLengthPrefixedNamesAndValuesBigEndian() {
    byte[] encoded = RecordCodec.encode(record(Map.of("f", "xy")));

    assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0, 0, 1, 'f', 0, 0, 0, 2, 'x', 'y'}, encoded);
  }

  @Test
  void aTruncatedOrPaddedRecordIsRefusedNotMisread() {
    byte[] encoded = RecordCodec.encode(record(Map.of("field0", "value0", "field1", "value1")));

    for (int length = 0; length < encoded.length; length++) {
      byte[] cut = Arrays.copyOf(encoded, length);
      assertThrows(IllegalArgumentException.class, () -> decodeAll(cut, null), "cut at " + length);
    }
    byte[] padded = Arrays.copyOf(encoded, encoded.length + 1);
    assertThrows(IllegalArgumentException.class, () -> decodeAll(padded, null));
  }

  @Test
  void decodedValuesOfAnArrayStayValidWhenTheDecoderReusesItsNameBuffer() {
    // Names longer than the decoder's initial 16-byte name buffer make it grow mid-record.
    String longName = "a-field-name-longer-than-sixteen-bytes";
    byte[] encoded = RecordCodec.encode(record(Map.of("s", "short", longName, "long")));

    Map<String, byte[]> decoded = decodeAll(encoded, null);

    assertArrayEquals("short".getBytes(StandardCharsets.UTF_8), decoded.get("s"));
    assertArrayEquals("long".getBytes(StandardCharsets.UTF_8), decoded.get(longName));
  }
}
