/**
 * The self-contained demo server ({@code java -jar pagecache-demo.jar}): command-line options,
 * embedded Jetty 12 (ee10), and the reverse-proxy mode. Not part of the WAR, where the container
 * is the server.
 */
package dev.pagecache.demo.server;
