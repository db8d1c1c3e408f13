package dev.sett.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import site.ycsb.ByteIterator;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/** What YCSB's operations mean, checked the same way on each binding. */
class BindingContractTest {
  private static final String TABLE = "usertable";

  @TempDir
  Path tmp;

  private final List<StoreYcsbDb> open = new ArrayList<>();

  @AfterEach
  void cleanUp() throws DBException {
    for (StoreYcsbDb db : open) {
      db.cleanup();
    }
  }

  private StoreYcsbDb open(Binding binding) throws DBException {
    StoreYcsbDb db = binding.open(tmp.resolve("store"));
    open.add(db);
    return db;
  }

  private static Map<String, ByteIterator> fields(String... nameValues) {
    Map<String, ByteIterator> m = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      m.put(nameValues[i], new StringByteIterator(nameValues[i + 1]));
    }
    return m;
  }

  private static Map<String, String> strings(Map<String, ByteIterator> record) {
    Map<String, String> m = new HashMap<>();
    record.forEach((k, v) -> m.put(k, v.toString()));
    return m;
  }

  private static Map<String, String> read(StoreYcsbDb db, String key, Set<String> fieldSet) {
    Map<String, ByteIterator> result = new HashMap<>();
    assertEquals(Status.OK, db.read(TABLE, key, fieldSet, result), key);
    return strings(result);
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void anInsertedRecordReadsBackWithAllItsFields(Binding binding) throws DBException {
    StoreYcsbDb db = open(binding);

    assertEquals(Status.OK, db.insert(TABLE, "user1", fields("field0", "a", "field1", "bb", "field2", "")));

    assertEquals(Map.of("field0", "a", "field1", "bb", "field2", ""), read(db, "user1", null));
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void aReadWithAFieldSetReturnsOnlyThoseFields(Binding binding) throws DBException {
    StoreYcsbDb db = open(binding);
    db.insert(TABLE, "user1", fields("field0", "a", "field1", "b", "field2", "c"));

    assertEquals(Map.of("field0", "a", "field2", "c"), read(db, "user1", Set.of("field0", "field2")));
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void aMissingKeyIsNotFoundAndAddsNothing(Binding binding) throws DBException {
    StoreYcsbDb db = open(binding);
    db.insert(TABLE, "user1", fields("field0", "a"));
    Map<String, ByteIterator> result = new HashMap<>();

    assertEquals(Status.NOT_FOUND, db.read(TABLE, "user2", null, result));
    assertEquals(Status.NOT_FOUND, db.read("othertable", "user1", null, result));
    assertTrue(result.isEmpty());
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void anUpdateMergesTheGivenFieldsAndKeepsTheOthers(Binding binding) throws DBException {
    StoreYcsbDb db = open(binding);
    db.insert(TABLE, "user1", fields("field0", "a", "field1", "b", "field2", "c"));

    assertEquals(Status.OK, db.update(TABLE, "user1", fields("field1", "B", "field3", "new")));

    assertEquals(Map.of("field0", "a", "field1", "B", "field2", "c", "field3", "new"), read(db, "user1", null));
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void anUpdateOfAMissingKeyIsNotFoundAndCreatesNothing(Binding binding) throws DBException {
    StoreYcsbDb db = open(binding);

    assertEquals(Status.NOT_FOUND, db.update(TABLE, "user1", fields("field0", "a")));
    assertEquals(Status.NOT_FOUND, db.read(TABLE, "user1", null, new HashMap<>()));
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void anInsertOverAnExistingKeyReplacesTheWholeRecord(Binding binding) throws DBException {
    StoreYcsbDb db = open(binding);
    db.insert(TABLE, "user1", fields("field0", "a", "field1", "b"));

    db.insert(TABLE, "user1", fields("field1", "c"));

    assertEquals(Map.of("field1", "c"), read(db, "user1", null));
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void aDeletedKeyIsNotFoundAndItsNeighboursStay(Binding binding) throws DBException {
    StoreYcsbDb db = open(binding);
    db.insert(TABLE, "user1", fields("field0", "a"));
    db.insert(TABLE, "user2", fields("field0", "b"));

    assertEquals(Status.OK, db.delete(TABLE, "user1"));

    assertEquals(Status.NOT_FOUND, db.read(TABLE, "user1", null, new HashMap<>()));
    assertEquals(Map.of("field0", "b"), read(db, "user2", null));
    assertEquals(Status.OK, db.delete(TABLE, "user1"), "deleting a missing key is not an error");
  }

  /** Keys k00..k19 in the table, each record naming its own key; neighbours in tables either side. */
  private static StoreYcsbDb loadScanFixture(StoreYcsbDb db) {
    for (int i = 19; i >= 0; i--) { // out of order: the store sorts
      String key = String.format("k%02d", i);
      db.insert(TABLE, key, fields("key", key, "field1", "v" + i));
    }
    for (String neighbour : new String[] {"usertabl", "usertable0", "usertable\u0001", "v"}) {
      db.insert(neighbour, "k00", fields("key", neighbour + "/k00"));
      db.insert(neighbour, "k50", fields("key", neighbour + "/k50"));
    }
    return db;
  }

  private static List<String> scanKeys(StoreYcsbDb db, String start, int count, Set<String> fieldSet) {
    Vector<HashMap<String, ByteIterator>> result = new Vector<>();
    assertEquals(Status.OK, db.scan(TABLE, start, count, fieldSet, result));
    List<String> keys = new ArrayList<>();
    for (HashMap<String, ByteIterator> record : result) {
      keys.add(record.containsKey("key") ? record.get("key").toString() : "?" + record.keySet());
    }
    return keys;
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void aScanReturnsCountRecordsInAscendingKeyOrderFromTheStartKey(Binding binding) throws DBException {
    StoreYcsbDb db = loadScanFixture(open(binding));

    assertEquals(List.of("k03", "k04", "k05", "k06", "k07"), scanKeys(db, "k03", 5, null));
    assertEquals(List.of("k04", "k05"), scanKeys(db, "k035", 2, null), "a start between keys begins at the next");
    assertEquals(List.of("k00"), scanKeys(db, "", 1, null));
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void aScanStopsAtTheEndOfTheTableEvenIfCountIsLarger(Binding binding) throws DBException {
    StoreYcsbDb db = loadScanFixture(open(binding));

    assertEquals(List.of("k17", "k18", "k19"), scanKeys(db, "k17", 10, null));
    assertEquals(List.of(), scanKeys(db, "k20", 10, null));
    assertEquals(20, scanKeys(db, "", 1000, null).size());
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void aScanWithAFieldSetReturnsOnlyThoseFieldsOfEachRecord(Binding binding) throws DBException {
    StoreYcsbDb db = loadScanFixture(open(binding));
    Vector<HashMap<String, ByteIterator>> result = new Vector<>();

    assertEquals(Status.OK, db.scan(TABLE, "k10", 3, Set.of("field1"), result));

    List<Map<String, String>> records = new ArrayList<>();
    result.forEach(r -> records.add(strings(r)));
    assertEquals(List.of(Map.of("field1", "v10"), Map.of("field1", "v11"), Map.of("field1", "v12")), records);
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void twoInstancesOnOneDirectoryShareOneStoreThatClosesOnlyAfterBothCleanUps(Binding binding) throws Exception {
    Path dir = tmp.resolve("shared");
    StoreYcsbDb first = binding.open(dir);
    StoreYcsbDb second = binding.open(dir);
    assertEquals(2, binding.sharers(dir));

    first.insert(TABLE, "user1", fields("field0", "from first"));
    assertEquals(Map.of("field0", "from first"), read(second, "user1", null), "one store behind both");

    first.cleanup();
    assertEquals(1, binding.sharers(dir));
    second.insert(TABLE, "user2", fields("field0", "from second"));
    assertEquals(Map.of("field0", "from first"), read(second, "user1", null), "still open after the first cleanup");
    if (binding.locksItsDirectory()) {
      assertThrows(Exception.class, () -> binding.openDirectlyAndClose(dir), "the store must still be open");
    }

    second.cleanup();
    assertEquals(0, binding.sharers(dir));
    if (binding.locksItsDirectory()) {
      binding.openDirectlyAndClose(dir); // the lock is free: the store was closed
    }

    StoreYcsbDb reopened = binding.open(dir);
    try {
      assertEquals(1, binding.sharers(dir));
      assertEquals(Map.of("field0", "from first"), read(reopened, "user1", null));
      assertEquals(Map.of("field0", "from second"), read(reopened, "user2", null));
    } finally {
      reopened.cleanup();
    }
    assertEquals(0, binding.sharers(dir));
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void aSecondCleanupOfOneInstanceDoesNotCloseTheStoreUnderAnother(Binding binding) throws DBException {
    Path dir = tmp.resolve("shared");
    StoreYcsbDb first = binding.open(dir);
    StoreYcsbDb second = binding.open(dir);
    try {
      first.cleanup();
      first.cleanup();
      assertEquals(1, binding.sharers(dir));
      assertEquals(Status.OK, second.insert(TABLE, "user1", fields("field0", "x")));
    } finally {
      second.cleanup();
    }
    assertEquals(0, binding.sharers(dir));
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void initWithoutTheDirectoryPropertyFailsNamingIt(Binding binding) {
    DBException e = assertThrows(DBException.class, () -> binding.open(new Properties()));

    assertTrue(e.getMessage().contains(binding.dirProperty + " is not set"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Binding.class)
  void theSyncPropertyOpensADurableStoreAndAWrongValueFailsNamingIt(Binding binding) throws DBException {
    Properties durable = new Properties();
    durable.setProperty(binding.dirProperty, tmp.resolve("durable").toString());
    durable.setProperty(binding.syncProperty, binding.syncValue);
    StoreYcsbDb db = binding.open(durable);
    try {
      assertEquals(Status.OK, db.insert(TABLE, "user1", fields("field0", "a")));
      assertEquals(Map.of("field0", "a"), read(db, "user1", null));
    } finally {
      db.cleanup();
    }

    Properties wrong = new Properties();
    wrong.setProperty(binding.dirProperty, tmp.resolve("wrong").toString());
    wrong.setProperty(binding.syncProperty, "sometimes");
    DBException e = assertThrows(DBException.class, () -> binding.open(wrong));
    assertTrue(e.getMessage().contains(binding.syncProperty + "=sometimes is invalid"), e.getMessage());
  }
}
