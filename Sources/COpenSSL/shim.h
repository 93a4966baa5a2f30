#ifndef GATECHECK_COPENSSL_SHIM_H
#define GATECHECK_COPENSSL_SHIM_H

// Thin shim over OpenSSL 3 libcrypto for the GateCheckCrypto wrapper (the only
// module that imports it). Helpers exist only where OpenSSL offers a
// function-like macro that Swift cannot import; ownership rules are noted at
// each helper so the Swift side can mirror them exactly.

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

// OPENSSL_free is a macro (it forwards file/line to CRYPTO_free).
static inline void gatecheck_OPENSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

// BIO_get_mem_data is a BIO_ctrl macro. The returned pointer is borrowed from
// the BIO and stays valid until the BIO is written to or freed.
static inline long gatecheck_BIO_get_mem_data(BIO *bio, const char **data) {
    char *pointer = NULL;
    long length = BIO_get_mem_data(bio, &pointer);
    *data = pointer;
    return length;
}

// The typed sk_ASN1_OBJECT_* accessors are macros. The stack returned by
// X509_get_ext_d2i(NID_ext_key_usage) is an EXTENDED_KEY_USAGE, i.e. a
// STACK_OF(ASN1_OBJECT); elements are borrowed from the stack.
static inline int gatecheck_sk_ASN1_OBJECT_num(const STACK_OF(ASN1_OBJECT) *stack) {
    return sk_ASN1_OBJECT_num(stack);
}

static inline const ASN1_OBJECT *gatecheck_sk_ASN1_OBJECT_value(const STACK_OF(ASN1_OBJECT) *stack, int index) {
    return sk_ASN1_OBJECT_value(stack, index);
}

static inline STACK_OF(ASN1_OBJECT) *gatecheck_sk_ASN1_OBJECT_new_null(void) {
    return sk_ASN1_OBJECT_new_null();
}

// Takes ownership of `object` only when it returns a positive count.
static inline int gatecheck_sk_ASN1_OBJECT_push(STACK_OF(ASN1_OBJECT) *stack, ASN1_OBJECT *object) {
    return sk_ASN1_OBJECT_push(stack, object);
}

// Frees the stack and every object in it (EXTENDED_KEY_USAGE_free does the same).
static inline void gatecheck_sk_ASN1_OBJECT_pop_free(STACK_OF(ASN1_OBJECT) *stack) {
    sk_ASN1_OBJECT_pop_free(stack, ASN1_OBJECT_free);
}

// The typed sk_X509_* accessors are macros. Whether a stack owns its
// certificates depends on where it came from, so both frees are offered:
// _free releases only the stack (elements borrowed, e.g. pushed from
// Certificate objects), _pop_free also X509_free()s every element (e.g. the
// result of CMS_get1_certs, whose elements are up-referenced).
static inline STACK_OF(X509) *gatecheck_sk_X509_new_null(void) {
    return sk_X509_new_null();
}

// Does not up-reference `cert`; the stack borrows it. Returns the new count,
// or 0 on failure.
static inline int gatecheck_sk_X509_push(STACK_OF(X509) *stack, X509 *cert) {
    return sk_X509_push(stack, cert);
}

static inline int gatecheck_sk_X509_num(const STACK_OF(X509) *stack) {
    return sk_X509_num(stack);
}

// Borrowed from the stack.
static inline X509 *gatecheck_sk_X509_value(const STACK_OF(X509) *stack, int index) {
    return sk_X509_value(stack, index);
}

static inline void gatecheck_sk_X509_free(STACK_OF(X509) *stack) {
    sk_X509_free(stack);
}

static inline void gatecheck_sk_X509_pop_free(STACK_OF(X509) *stack) {
    sk_X509_pop_free(stack, X509_free);
}

// CMS_get0_SignerInfos returns a borrowed STACK_OF(CMS_SignerInfo); the
// accessors are macros.
static inline int gatecheck_sk_CMS_SignerInfo_num(const STACK_OF(CMS_SignerInfo) *stack) {
    return sk_CMS_SignerInfo_num(stack);
}

static inline CMS_SignerInfo *gatecheck_sk_CMS_SignerInfo_value(const STACK_OF(CMS_SignerInfo) *stack, int index) {
    return sk_CMS_SignerInfo_value(stack, index);
}

// STACK_OF(X509_REVOKED) from X509_CRL_get_REVOKED is borrowed from the CRL.
static inline int gatecheck_sk_X509_REVOKED_num(const STACK_OF(X509_REVOKED) *stack) {
    return sk_X509_REVOKED_num(stack);
}

#endif
