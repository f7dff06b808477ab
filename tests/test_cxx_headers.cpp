// The public headers must compile as C++ (extern "C", no C-only syntax).
#include <cwmp/cwmp.h>

int main()
{
    return cwmp_strerror(CWMP_OK) == nullptr;
}
