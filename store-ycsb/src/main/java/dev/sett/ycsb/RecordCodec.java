package dev.sett.ycsb;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import site.ycsb.ByteIterator;

/**
 * The one value format of all three bindings: a YCSB record (field name to bytes) as a single
 * value, so that every store stores and reads exactly the same bytes for the same record.
 *
 * <pre>
 *   int count                       number of fields
 *   count times:
 *     int nameLength, name bytes    the field name in UTF-8
 *     int valueLength, value bytes  the field value
 * </pre>
 * Ints are big-endian (a Sett {@code ByteView}'s order). Field order is the map's iteration order
 * and carries no meaning.
 *
 * <p>Stateless; safe to use from any thread.
 */
final class RecordCodec {
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private RecordCodec() {
  }

  /**
   * Encodes every field of {@code fields}. Consumes the iterators (YCSB's iterators can be read
   * once).
   *
   * @param fields the record
   * @return the encoded record, a new array
   */
  static byte[] encode(Map<String, ByteIterator> fields) {
    int n = fields.size();
    byte[][] names = new byte[n][];
    byte[][] values = new byte[n][];
    long size = Integer.BYTES;
    int i = 0;
    for (Map.Entry<String, ByteIterator> field : fields.entrySet()) {
      names[i] = field.getKey().getBytes(StandardCharsets.UTF_8);
      values[i] = field.getValue().toArray();
      size += 2L * Integer.BYTES + names[i].length + values[i].length;
      i++;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("record of " + n + " fields needs " + size
          + " bytes encoded, more than an array holds");
    }
    byte[] out = new byte[(int) size];
    INTS.set(out, 0, n);
    int at = Integer.BYTES;
    for (i = 0; i < n; i++) {
      at = put(out, at, names[i]);
      at = put(out, at, values[i]);
    }
    return out;
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    INTS.set(out, at, bytes.length);
    System.arraycopy(bytes, 0, out, at + Integer.BYTES, bytes.length);
    return at + Integer.BYTES + bytes.length;
  }

  /**
   * Decodes a record straight from where it lies into {@code result}: the fields named in
   * {@code wanted}, or all of them if it is null. Values are handed over as
   * {@link ByteAccess#value} makes them (copies for views), so they outlive {@code record}.
   *
   * @param <T> what holds the bytes
   * @param record the encoded record
   * @param access how to read {@code record}
   * @param wanted the field names to return, or null for every field
   * @param result where the fields go
   * @throws IllegalArgumentException if the bytes are not a record this codec wrote
   */
  static <T> void decode(T record, ByteAccess<T> access, Set<String> wanted,
      Map<String, ByteIterator> result) {
    int size = access.size(record);
    int count = readLength(record, access, 0, size, "field count");
    int at = Integer.BYTES;
    byte[] name = new byte[16];
    for (int i = 0; i < count; i++) {
      int nameLength = readLength(record, access, at, size, "field name length");
      at += Integer.BYTES;
      if (nameLength > name.length) {
        name = new byte[nameLength];
      }
      access.copyTo(record, at, name, 0, nameLength);
      at += nameLength;
      int valueLength = readLength(record, access, at, size, "field value length");
      at += Integer.BYTES;
      String field = new String(name, 0, nameLength, StandardCharsets.UTF_8);
      if (wanted == null || wanted.contains(field)) {
        result.put(field, access.value(record, at, valueLength));
      }
      at += valueLength;
    }
    if (at != size) {
      throw new IllegalArgumentException("malformed record: " + count + " fields end at byte " + at
          + " of " + size);
    }
  }

  /** The length at {@code at}, checked to fit in what is left of the record after it. */
  private static <T> int readLength(T record, ByteAccess<T> access, int at, int size, String what) {
    if (size - at < Integer.BYTES) {
      throw new IllegalArgumentException("malformed record: " + what + " at byte " + at
          + " runs past its end (" + size + " bytes)");
    }
    int length = access.getInt(record, at);
    if (length < 0 || length > size - at - Integer.BYTES) {
      throw new IllegalArgumentException("malformed record: " + what + " " + length + " at byte " + at
          + " does not fit in its " + size + " bytes");
    }
    return length;
  }
}
