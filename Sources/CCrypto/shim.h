// OpenSSL's libcrypto (the one libcurl already links) for SHA-256 and HMAC, instead of swift-crypto's
// bundled BoringSSL, which alone was half of a first build (about 550 C and C++ files). Declarations
// only; FeedCrypto is the one module that calls them.
#include <openssl/evp.h>
#include <openssl/hmac.h>
