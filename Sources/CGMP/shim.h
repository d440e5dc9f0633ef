// Header-only shims over gmp.h for memcert.
//
// gmp.h spells most of its API as macros (`#define mpz_add __gmpz_add`) and
// some as function-like macros (`mpz_sgn`), which Swift does not import.
// Each shim below is a `static inline` function with a plain C signature, so
// the Swift side calls readable names and never touches a macro.
#ifndef MEMCERT_CGMP_SHIM_H
#define MEMCERT_CGMP_SHIM_H

#include <gmp.h>
#include <stddef.h>
#include <stdint.h>

// MARK: - Life cycle and assignment

static inline void cgmp_init(mpz_ptr z) { mpz_init(z); }
static inline void cgmp_clear(mpz_ptr z) { mpz_clear(z); }
static inline void cgmp_set(mpz_ptr r, mpz_srcptr a) { mpz_set(r, a); }
static inline void cgmp_set_si(mpz_ptr r, long v) { mpz_set_si(r, v); }
static inline void cgmp_set_ui(mpz_ptr r, unsigned long v) { mpz_set_ui(r, v); }
/// Sets r to the magnitude hi * 2^64 + lo, negated when `negative` is nonzero.
static inline void cgmp_set_u128(mpz_ptr r, uint64_t hi, uint64_t lo, int negative) {
    mpz_set_ui(r, (unsigned long)hi);
    mpz_mul_2exp(r, r, 64);
    mpz_add_ui(r, r, (unsigned long)lo);
    if (negative) mpz_neg(r, r);
}
/// Parses a NUL-terminated decimal digit string; returns 0 on success.
static inline int cgmp_set_str10(mpz_ptr r, const char *s) { return mpz_set_str(r, s, 10); }
/// Parses a NUL-terminated digit string in `base` (2..62); returns 0 on success.
static inline int cgmp_set_str(mpz_ptr r, const char *s, int base) { return mpz_set_str(r, s, base); }

// MARK: - Queries

static inline int cgmp_sgn(mpz_srcptr a) { return mpz_sgn(a); }
static inline int cgmp_fits_slong(mpz_srcptr a) { return mpz_fits_slong_p(a); }
static inline long cgmp_get_si(mpz_srcptr a) { return mpz_get_si(a); }
static inline unsigned long cgmp_get_ui(mpz_srcptr a) { return mpz_get_ui(a); }
static inline int cgmp_cmp(mpz_srcptr a, mpz_srcptr b) { return mpz_cmp(a, b); }
static inline int cgmp_cmp_si(mpz_srcptr a, long b) { return mpz_cmp_si(a, b); }
static inline int cgmp_cmpabs(mpz_srcptr a, mpz_srcptr b) { return mpz_cmpabs(a, b); }
/// Number of bits of |a|; 0 for a = 0.
static inline size_t cgmp_bit_length(mpz_srcptr a) {
    return mpz_sgn(a) == 0 ? 0 : mpz_sizeinbase(a, 2);
}
/// Upper bound on the characters mpz_get_str needs in base 10, sign and NUL included.
static inline size_t cgmp_decimal_capacity(mpz_srcptr a) { return mpz_sizeinbase(a, 10) + 2; }
static inline char *cgmp_get_str10(char *buffer, mpz_srcptr a) { return mpz_get_str(buffer, 10, a); }
/// Index of the lowest set bit of |a| (a != 0).
static inline unsigned long cgmp_trailing_zeros(mpz_srcptr a) { return mpz_scan1(a, 0); }
static inline int cgmp_divisible(mpz_srcptr a, mpz_srcptr d) { return mpz_divisible_p(a, d); }
/// a ~ m * 2^exp with 0.5 <= |m| < 1, m truncated toward zero (GMP manual, "Converting Integers").
static inline double cgmp_get_d_2exp(long *exp, mpz_srcptr a) { return mpz_get_d_2exp(exp, a); }
/// Lowest 64 bits of |a|.
static inline uint64_t cgmp_limb0(mpz_srcptr a) { return (uint64_t)mpz_getlimbn(a, 0); }
static inline uint64_t cgmp_limb1(mpz_srcptr a) { return (uint64_t)mpz_getlimbn(a, 1); }
static inline size_t cgmp_limb_count(mpz_srcptr a) { return mpz_size(a); }

// MARK: - Arithmetic

static inline void cgmp_neg(mpz_ptr r, mpz_srcptr a) { mpz_neg(r, a); }
static inline void cgmp_abs(mpz_ptr r, mpz_srcptr a) { mpz_abs(r, a); }
static inline void cgmp_add(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_add(r, a, b); }
static inline void cgmp_sub(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_sub(r, a, b); }
static inline void cgmp_mul(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_mul(r, a, b); }
static inline void cgmp_mul_si(mpz_ptr r, mpz_srcptr a, long b) { mpz_mul_si(r, a, b); }
static inline void cgmp_addmul(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_addmul(r, a, b); }
static inline void cgmp_submul(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_submul(r, a, b); }
/// Truncated division: q = trunc(a / b), r = a - q b (sign of a).
static inline void cgmp_tdiv_qr(mpz_ptr q, mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_tdiv_qr(q, r, a, b); }
/// Floor division: q = floor(a / b), r = a - q b (sign of b).
static inline void cgmp_fdiv_qr(mpz_ptr q, mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_fdiv_qr(q, r, a, b); }
/// q = a / b when b divides a (GMP's faster exact division).
static inline void cgmp_divexact(mpz_ptr q, mpz_srcptr a, mpz_srcptr b) { mpz_divexact(q, a, b); }
static inline void cgmp_gcd(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_gcd(r, a, b); }
static inline void cgmp_lcm(mpz_ptr r, mpz_srcptr a, mpz_srcptr b) { mpz_lcm(r, a, b); }
static inline void cgmp_mul_2exp(mpz_ptr r, mpz_srcptr a, unsigned long e) { mpz_mul_2exp(r, a, e); }
/// r = a / 2^e rounded toward zero.
static inline void cgmp_tdiv_q_2exp(mpz_ptr r, mpz_srcptr a, unsigned long e) { mpz_tdiv_q_2exp(r, a, e); }
static inline void cgmp_pow_ui(mpz_ptr r, mpz_srcptr a, unsigned long e) { mpz_pow_ui(r, a, e); }
static inline void cgmp_ui_pow_ui(mpz_ptr r, unsigned long b, unsigned long e) { mpz_ui_pow_ui(r, b, e); }
/// Binomial coefficient C(n, k) (GMP manual, "Number Theoretic Functions").
static inline void cgmp_bin_uiui(mpz_ptr r, unsigned long n, unsigned long k) { mpz_bin_uiui(r, n, k); }
/// Integer square root floor(sqrt(a)), a >= 0.
static inline void cgmp_sqrt(mpz_ptr r, mpz_srcptr a) { mpz_sqrt(r, a); }

// MARK: - Library

/// The version of the GMP library linked at run time (gmp.h's `gmp_version`, e.g. "6.2.1").
static inline const char *cgmp_version(void) { return gmp_version; }

#endif
