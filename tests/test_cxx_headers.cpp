// Every public header of the core library must compile as C++ (extern "C",
// no C-only syntax): the umbrella includes them all.
#include <cwmp/cwmp.h>

int main()
{
    struct cwmp_codec_options o;
    cwmp_codec_options_init(&o);
    return cwmp_strerror(CWMP_OK) == nullptr || o.max_envelope_bytes == 0;
}
