/**
 * HTTP value types parsed once into immutable values: header lists, {@code Cache-Control}
 * directives, entity tags and HTTP dates. Nothing here reads a clock or touches the servlet API.
 */
package dev.pagecache.internal.http;
