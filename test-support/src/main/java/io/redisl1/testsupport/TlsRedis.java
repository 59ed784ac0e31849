package io.redisl1.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A private {@code redis-server} (see {@link RedisServers#startEmbedded()}) that also accepts TLS
 * on a second port, with a self-signed certificate for {@code 127.0.0.1} and {@code localhost}
 * made by the JDK's {@code keytool} in {@code dir}. The plain port stays open for the test's own
 * outside writes and checks; clients trust the certificate through {@link #trustStore()} or {@link
 * #socketFactory()}, and nothing else does.
 */
public final class TlsRedis implements AutoCloseable {
  public static final String TRUST_STORE_PASSWORD = "changeit";

  private final RedisHandle server;
  private final RedisEndpoint tls;
  private final Path trustStore;

  private TlsRedis(RedisHandle server, RedisEndpoint tls, Path trustStore) {
    this.server = server;
    this.tls = tls;
    this.trustStore = trustStore;
  }

  public static TlsRedis start(Path dir) {
    try {
      Path keyStore = dir.resolve("redis.p12");
      keytool("-genkeypair", "-alias", "redis", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
          "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
          "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", TRUST_STORE_PASSWORD);
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keyStore)) {
        keys.load(in, TRUST_STORE_PASSWORD.toCharArray());
      }
      Certificate cert = keys.getCertificate("redis");
      Path certPem = pem(dir.resolve("redis.crt"), "CERTIFICATE", cert.getEncoded());
      Path keyPem = pem(dir.resolve("redis.key"), "PRIVATE KEY",
          keys.getKey("redis", TRUST_STORE_PASSWORD.toCharArray()).getEncoded()); // PKCS#8
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("redis", cert);
      Path trustStore = dir.resolve("trust.p12");
      try (OutputStream out = Files.newOutputStream(trustStore)) {
        trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
      }
      int tlsPort = EmbeddedRedis.freePort();
      RedisHandle server = RedisServers.startEmbedded(
          "--tls-port", Integer.toString(tlsPort), "--tls-cert-file", certPem.toString(),
          "--tls-key-file", keyPem.toString(), "--tls-ca-cert-file", certPem.toString(),
          "--tls-auth-clients", "no");
      return new TlsRedis(server, new RedisEndpoint(server.endpoint().host(), tlsPort), trustStore);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make the test certificate", e);
    }
  }

  /** The plain-TCP port, for the test's own connections. */
  public RedisEndpoint plain() {
    return server.endpoint();
  }

  /** The TLS port. */
  public RedisEndpoint tls() {
    return tls;
  }

  /** A PKCS#12 trust store (password {@link #TRUST_STORE_PASSWORD}) holding only this server's certificate. */
  public Path trustStore() {
    return trustStore;
  }

  /** A socket factory that trusts this server's certificate and nothing else. */
  public SSLSocketFactory socketFactory() {
    return trusting(trustStore);
  }

  /**
   * A socket factory that trusts only the certificates of {@code trustStore} (PKCS#12, password
   * {@link #TRUST_STORE_PASSWORD}), as an application configured with that store would.
   */
  public static SSLSocketFactory trusting(Path trustStore) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(trustStore)) {
        trust.load(in, TRUST_STORE_PASSWORD.toCharArray());
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }

  private static Path pem(Path file, String type, byte[] der) throws IOException {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    return file;
  }

  private static void keytool(String... args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IOException("keytool failed: " + output);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running keytool", e);
    }
  }
}
