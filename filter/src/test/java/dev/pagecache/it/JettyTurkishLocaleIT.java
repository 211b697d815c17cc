package dev.pagecache.it;

import java.util.Locale;

/**
 * The whole contract again under a Turkish default locale, where {@code "I".toLowerCase()} is a
 * dotless ı: header names and directives must be compared without the default locale.
 */
class JettyTurkishLocaleIT extends JettyPageCacheIT {
  @Override
  Locale locale() {
    return Locale.forLanguageTag("tr-TR");
  }
}
