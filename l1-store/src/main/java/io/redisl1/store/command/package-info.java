/**
 * What a Redis command does to the L1, decided from its argv alone and shared by the Jedis and
 * Lettuce instrumentations. JDK types only: this package must not see any client library.
 */
package io.redisl1.store.command;
