package dev.pagecache.demo.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OriginFailureTest {

  @Test
  void aTimeoutIsA504ResponseTimeout() {
    OriginFailure failure = OriginFailure.of(new TimeoutException("Total timeout 300 ms elapsed"));

    assertThat(failure.status()).isEqualTo(504);
    assertThat(failure.proxyStatus()).isEqualTo("pagecache; error=http_response_timeout");
    assertThat(failure.body()).isEqualTo("504 Gateway Timeout: the origin did not answer in time\n");
    assertThat(failure.isTransient()).isFalse();
  }

  @Test
  void aConnectTimeoutIsA504ConnectionTimeout() {
    assertThat(OriginFailure.of(new SocketTimeoutException("Connect Timeout")))
        .isEqualTo(OriginFailure.CONNECT_TIMED_OUT);
    assertThat(OriginFailure.CONNECT_TIMED_OUT.status()).isEqualTo(504);
    assertThat(OriginFailure.CONNECT_TIMED_OUT.error()).isEqualTo("connection_timeout");
  }

  @Test
  void aRefusedConnectionIsA502ConnectionRefused() {
    OriginFailure failure = OriginFailure.of(new ConnectException("Connection refused"));

    assertThat(failure.status()).isEqualTo(502);
    assertThat(failure.proxyStatus()).isEqualTo("pagecache; error=connection_refused");
    assertThat(failure.body()).isEqualTo("502 Bad Gateway: the origin refused the connection\n");
  }

  @Test
  void theCauseIsFoundUnderTheWrappersTheClientAdds() {
    Throwable wrapped = new ExecutionException(new IOException("connect failed", new ConnectException("refused")));

    assertThat(OriginFailure.of(wrapped)).isEqualTo(OriginFailure.REFUSED);
  }

  @Test
  void aFullQueueForTheOriginIsA503TheClientMayRetry() {
    OriginFailure failure = OriginFailure.of(new RejectedExecutionException("Max requests queued per destination 4000 exceeded"));

    assertThat(failure.status()).isEqualTo(503);
    assertThat(failure.error()).isEqualTo("connection_limit_reached");
    assertThat(failure.isTransient()).isTrue();
  }

  @Test
  void otherFailuresAreNamedByTheirKind() {
    assertThat(OriginFailure.of(new UnknownHostException("origin.invalid")).error()).isEqualTo("dns_error");
    assertThat(OriginFailure.of(new EOFException()).error()).isEqualTo("connection_terminated");
    assertThat(OriginFailure.of(new ClosedChannelException()).error()).isEqualTo("connection_terminated");
    assertThat(OriginFailure.of(new org.eclipse.jetty.http.BadMessageException("bad response")).error())
        .isEqualTo("http_protocol_error");
  }

  @Test
  void anUnknownFailureIsA502UnavailableOrigin() {
    OriginFailure failure = OriginFailure.of(new IOException("something else"));

    assertThat(failure).isEqualTo(OriginFailure.UNREACHABLE);
    assertThat(failure.status()).isEqualTo(502);
    assertThat(failure.error()).isEqualTo("destination_unavailable");
  }

  @Test
  void aCauseChainThatLoopsEnds() {
    IOException a = new IOException("a");
    IOException b = new IOException("b", a);
    a.initCause(b);

    assertThat(OriginFailure.of(a)).isEqualTo(OriginFailure.UNREACHABLE);
  }
}
