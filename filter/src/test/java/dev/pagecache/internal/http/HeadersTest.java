package dev.pagecache.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HeadersTest {

  @Test
  void lookupIgnoresTheCaseOfTheName() {
    Headers headers = Headers.builder().add("ETag", "\"a\"").build();

    assertThat(headers.first("etag")).contains("\"a\"");
    assertThat(headers.first("ETAG")).contains("\"a\"");
    assertThat(headers.all("eTaG")).containsExactly("\"a\"");
    assertThat(headers.contains("etag")).isTrue();
  }

  @Test
  void namesKeepTheCaseTheyWereFirstAddedWith() {
    Headers headers = Headers.builder().add("X-Trace-ID", "1").add("x-trace-id", "2").build();

    assertThat(headers.fields()).singleElement()
        .satisfies(field -> {
          assertThat(field.name()).isEqualTo("X-Trace-ID");
          assertThat(field.values()).containsExactly("1", "2");
        });
  }

  @Test
  void fieldsKeepTheOrderTheyWereAddedIn() {
    Headers headers = Headers.builder()
        .add("Cache-Control", "public")
        .add("Vary", "Accept")
        .add("ETag", "\"v1\"")
        .build();

    assertThat(headers.fields()).extracting(Headers.Field::name)
        .containsExactly("Cache-Control", "Vary", "ETag");
  }

  @Test
  void repeatedValuesOfOneNameKeepTheirOrderWhateverComesBetween() {
    Headers headers = Headers.builder()
        .add("Vary", "Accept")
        .add("X-Other", "1")
        .add("vary", "Accept-Language")
        .add("VARY", "Cookie")
        .build();

    assertThat(headers.all("Vary")).containsExactly("Accept", "Accept-Language", "Cookie");
    assertThat(headers.first("Vary")).contains("Accept");
    assertThat(headers.fields()).extracting(Headers.Field::name).containsExactly("Vary", "X-Other");
  }

  @Test
  void setReplacesEveryEarlierValueOfTheNameWhateverItsCase() {
    Headers headers = Headers.builder()
        .add("Cache-Control", "no-cache")
        .add("cache-control", "private")
        .set("CACHE-CONTROL", "public, max-age=60")
        .build();

    assertThat(headers.all("Cache-Control")).containsExactly("public, max-age=60");
    assertThat(headers.fields()).hasSize(1);
  }

  @Test
  void addAppendsWhereSetReplaces() {
    Headers.Builder builder = Headers.builder().add("Link", "</a>").add("Link", "</b>");
    assertThat(builder.get("link")).containsExactly("</a>", "</b>");

    builder.set("Link", "</c>");
    assertThat(builder.get("link")).containsExactly("</c>");
  }

  @Test
  void removeDropsTheFieldWhateverTheCase() {
    Headers.Builder builder = Headers.builder().add("Set-Cookie", "a=1").add("Set-Cookie", "b=2").add("X", "y");

    builder.remove("set-cookie");

    assertThat(builder.contains("Set-Cookie")).isFalse();
    assertThat(builder.build().fields()).extracting(Headers.Field::name).containsExactly("X");
  }

  @Test
  void anAbsentNameHasNoValues() {
    Headers headers = Headers.builder().add("X", "y").build();

    assertThat(headers.first("ETag")).isEmpty();
    assertThat(headers.all("ETag")).isEmpty();
    assertThat(headers.tokens("ETag")).isEmpty();
    assertThat(headers.contains("ETag")).isFalse();
  }

  @Test
  void tokensSplitEveryFieldLineOnCommasAndTrimThem() {
    Headers headers = Headers.builder()
        .add("Connection", "close, X-Foo")
        .add("connection", " ,X-Bar ,,  keep-alive ")
        .build();

    assertThat(headers.tokens("Connection")).containsExactly("close", "X-Foo", "X-Bar", "keep-alive");
  }

  @Test
  void builtHeadersCannotBeChanged() {
    Headers headers = Headers.builder().add("Vary", "Accept").build();

    assertThatThrownBy(() -> headers.fields().add(new Headers.Field("X", List.of("y"))))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> headers.all("Vary").add("Cookie"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void laterBuilderChangesDoNotReachHeadersAlreadyBuilt() {
    Headers.Builder builder = Headers.builder().add("Vary", "Accept");
    Headers built = builder.build();

    builder.add("Vary", "Cookie").add("X", "y");

    assertThat(built.all("Vary")).containsExactly("Accept");
    assertThat(built.contains("X")).isFalse();
  }

  @Test
  void builderGetIsAReadOnlyView() {
    Headers.Builder builder = Headers.builder().add("Vary", "Accept");

    assertThatThrownBy(() -> builder.get("Vary").add("Cookie")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(builder.get("absent")).isEmpty();
  }

  @Test
  void anEmptyBuilderGivesTheEmptyHeaders() {
    assertThat(Headers.builder().build()).isSameAs(Headers.empty());
    assertThat(Headers.builder().add("X", "y").clear().build().isEmpty()).isTrue();
    assertThat(Headers.empty().fields()).isEmpty();
  }

  @Test
  void toBuilderRebuildsEqualHeaders() {
    Headers headers = Headers.builder().add("Vary", "Accept").add("X", "1").add("vary", "Cookie").build();

    Headers copy = headers.toBuilder().build();

    assertThat(copy).isEqualTo(headers).hasSameHashCodeAs(headers);
    assertThat(copy.all("Vary")).containsExactly("Accept", "Cookie");
  }

  @Test
  void headersInAnotherOrderAreNotEqual() {
    Headers ab = Headers.builder().add("A", "1").add("B", "2").build();
    Headers ba = Headers.builder().add("B", "2").add("A", "1").build();

    assertThat(ab).isNotEqualTo(ba);
  }

  @Test
  void byteSizeCountsNameValueAndSeparatorsForEveryValue() {
    // "Vary: Accept\r\n" is 4 + 6 + 4 bytes, the repeated "Vary: Cookie\r\n" another 4 + 6 + 4.
    Headers headers = Headers.builder().add("Vary", "Accept").add("Vary", "Cookie").build();

    assertThat(headers.byteSize()).isEqualTo(28);
    assertThat(Headers.empty().byteSize()).isZero();
  }

  @Test
  void lookupIsTheSameUnderATurkishDefaultLocale() {
    Locale previous = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      Headers headers = Headers.builder().add("X-Trace-Id", "1").add("LINK", "</a>").build();

      assertThat(headers.first("X-TRACE-ID")).contains("1");
      assertThat(headers.first("link")).contains("</a>");
    } finally {
      Locale.setDefault(previous);
    }
  }
}
