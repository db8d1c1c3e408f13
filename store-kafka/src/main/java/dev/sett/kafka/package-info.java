/**
 * Sett as a Kafka Streams state store: {@link dev.sett.kafka.SettStores} supplies persistent
 * key-value stores, and {@link dev.sett.kafka.SettDslStoreSuppliers} switches a whole DSL topology
 * to them. Each commit writes a store's pending writes and its changelog offsets as one atomic,
 * forced Sett batch.
 */
package dev.sett.kafka;
