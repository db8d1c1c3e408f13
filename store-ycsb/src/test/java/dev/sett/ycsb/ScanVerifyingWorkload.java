package dev.sett.ycsb;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.Status;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/**
 * YCSB's CoreWorkload with its data integrity check extended to scans, for the end-to-end tests of
 * workload E. CoreWorkload's {@code dataintegrity=true} verifies what reads return but throws away
 * what scans return, so without this a binding could return wrong records from every scan of E and
 * still pass.
 *
 * <p>A scan's records carry no keys, but with {@code dataintegrity=true} every field value starts
 * with its record's key and a colon ({@code user123:field4:...}). Each scan is checked to return 1
 * to {@code recordcount} records with keys strictly ascending from the start key, and each record
 * is checked by CoreWorkload's own {@code verifyRow}; every failure is reported under
 * {@code [VERIFY]}, where the tests look.
 *
 * <p>Thread-safe as CoreWorkload is: YCSB's client threads share one instance.
 */
public class ScanVerifyingWorkload extends CoreWorkload {

  @Override
  public void doTransactionScan(DB db) {
    super.doTransactionScan(new DB() {
      @Override
      public Status scan(String table, String startkey, int recordcount, Set<String> fields,
          Vector<HashMap<String, ByteIterator>> result) {
        Status status = db.scan(table, startkey, recordcount, fields, result);
        if (status.isOk()) {
          verifyScan(startkey, recordcount, result);
        }
        return status;
      }

      @Override
      public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        throw new UnsupportedOperationException("a scan transaction only scans");
      }

      @Override
      public Status update(String table, String key, Map<String, ByteIterator> values) {
        throw new UnsupportedOperationException("a scan transaction only scans");
      }

      @Override
      public Status insert(String table, String key, Map<String, ByteIterator> values) {
        throw new UnsupportedOperationException("a scan transaction only scans");
      }

      @Override
      public Status delete(String table, String key) {
        throw new UnsupportedOperationException("a scan transaction only scans");
      }
    });
  }

  private void verifyScan(String startkey, int recordcount, List<HashMap<String, ByteIterator>> records) {
    // The start key was inserted (CoreWorkload picks existing keys), so at least it comes back.
    if (records.isEmpty() || records.size() > recordcount) {
      fail();
      return;
    }
    String previous = null;
    for (HashMap<String, ByteIterator> record : records) {
      String key = keyOf(record);
      boolean inOrder = key != null && key.compareTo(startkey) >= 0 && (previous == null || key.compareTo(previous) > 0);
      if (!inOrder) {
        fail();
        return;
      }
      verifyRow(key, record);
      previous = key;
    }
  }

  /** The key a record's values were built from, or null if they show none. */
  private static String keyOf(Map<String, ByteIterator> record) {
    if (record.isEmpty()) {
      return null;
    }
    ByteIterator value = record.values().iterator().next();
    String text = value.toString();
    value.reset(); // verifyRow reads it again (the bindings hand out resettable array iterators)
    int colon = text.indexOf(':');
    return colon <= 0 ? null : text.substring(0, colon);
  }

  private static void fail() {
    Measurements.getMeasurements().reportStatus("VERIFY", Status.UNEXPECTED_STATE);
  }
}
