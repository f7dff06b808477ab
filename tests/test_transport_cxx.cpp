// The transport headers of the tls section compile as C++ too.
// The core umbrella first: every core and transport header must coexist in
// one translation unit (no name defined twice).
#include <cwmp/cwmp.h>
#include <cwmp/http.h>
#include <cwmp/tls.h>
#include <cwmp/transport.h>
#include <cwmp/udpcr.h>

int main()
{
    cwmp_udpcr_replay r;
    cwmp_udpcr_replay_init(&r, 0);
    cwmp_tls_status st = {};
    return (r.count != 0) + (st.failures != 0) + (cwmp_tls_is_tls(nullptr) != 0);
}
