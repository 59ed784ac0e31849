package io.redisl1.store;

/**
 * What a connection is allowed to read: a {@link Keyspace} seen as one authenticated user. Entries
 * are only ever served to the scope that filled them, because two ACL users may not be allowed to
 * read the same keys.
 */
public final class Scope {
  private final Keyspace keyspace;
  private final String user;

  Scope(Keyspace keyspace, String user) {
    this.keyspace = keyspace;
    this.user = user;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  public String user() {
    return user;
  }

  @Override
  public String toString() {
    return user + "@" + keyspace;
  }
}
