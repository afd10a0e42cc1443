// libxml2 for Swift. Only what Swift cannot call or see by itself lives here.
//
// -I/usr/include/libxml2 comes from pkg-config "libxml-2.0".
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and libxml/encoding.h then includes <unicode/ucnv.h>. Foundation
// ships its own ICU module, and any Swift module seeing both fails with "'UErrorCode' has different
// definitions in different modules". We never touch the ICU fields of xmlCharEncodingHandler, so hide them.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

// xmlFree is a mutable global function pointer: Swift 6 rejects calling it ("not concurrency-safe").
static inline void cxml_free(void *p) { xmlFree(p); }
