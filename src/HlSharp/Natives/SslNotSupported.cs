using HlSharp.Engine;
using HlSharp.Runtime;

namespace HlSharp.Natives;

/// <summary>
/// The "ssl" library that Haxe's <c>sys.ssl</c> (TLS sockets, certificates, keys, digests) binds.
/// HashLink implements it on mbedTLS, a native library HlSharp does not ship, so every native here
/// is registered with the signature Haxe declares (the program loads and binds as under
/// <c>hl</c>) and raises a Haxe error a program can catch when called. .NET's
/// <see cref="System.Net.Security.SslStream"/> and <see cref="System.Security.Cryptography"/> could
/// back them later.
/// </summary>
internal static class SslNotSupported
{
    private const string Message = "SSL is not supported in HlSharp";

    private static Exception NotSupported(HlModule m) => m.MakeError(Message);

    /// <summary>
    /// Succeeds: <c>sys.ssl.Lib</c>'s static initialiser calls it in every program that links
    /// <c>sys.ssl</c> (for example through <c>haxe.Http</c>), so failing here would stop programs
    /// that never open a TLS connection.
    /// </summary>
    [HlNative("ssl", "ssl_init")]
    public static void Init()
    {
    }

    // ---- certificates (sys.ssl.Certificate) ----

    [HlNative("ssl", "cert_load_defaults")]
    public static object? CertLoadDefaults(HlModule m) => throw NotSupported(m);

    [HlNative("ssl", "cert_load_file")]
    public static object? CertLoadFile(HlModule m, HlBytes file) => throw NotSupported(m);

    [HlNative("ssl", "cert_load_path")]
    public static object? CertLoadPath(HlModule m, HlBytes path) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_subject")]
    public static HlBytes? CertGetSubject(HlModule m, object? cert, HlBytes field) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_issuer")]
    public static HlBytes? CertGetIssuer(HlModule m, object? cert, HlBytes field) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_altnames")]
    public static HlArray? CertGetAltNames(HlModule m, object? cert) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_notbefore")]
    public static HlArray? CertGetNotBefore(HlModule m, object? cert) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_notafter")]
    public static HlArray? CertGetNotAfter(HlModule m, object? cert) => throw NotSupported(m);

    [HlNative("ssl", "cert_get_next")]
    public static object? CertGetNext(HlModule m, object? cert) => throw NotSupported(m);

    [HlNative("ssl", "cert_add_pem")]
    public static object? CertAddPem(HlModule m, object? cert, HlBytes data) => throw NotSupported(m);

    [HlNative("ssl", "cert_add_der")]
    public static object? CertAddDer(HlModule m, object? cert, HlBytes data, int length) => throw NotSupported(m);

    // ---- keys (sys.ssl.Key) ----

    [HlNative("ssl", "key_from_pem")]
    public static object? KeyFromPem(HlModule m, HlBytes data, bool isPublic, HlBytes? password) => throw NotSupported(m);

    [HlNative("ssl", "key_from_der")]
    public static object? KeyFromDer(HlModule m, HlBytes data, int length, bool isPublic) => throw NotSupported(m);

    // ---- digests (sys.ssl.Digest) ----

    [HlNative("ssl", "dgst_make")]
    public static HlBytes? DigestMake(HlModule m, HlBytes data, int length, HlBytes algorithm, HlRef<int> size) => throw NotSupported(m);

    [HlNative("ssl", "dgst_sign")]
    public static HlBytes? DigestSign(HlModule m, HlBytes data, int length, object? key, HlBytes algorithm, HlRef<int> size) => throw NotSupported(m);

    [HlNative("ssl", "dgst_verify")]
    public static bool DigestVerify(HlModule m, HlBytes data, int length, HlBytes signature, int signatureLength, object? key, HlBytes algorithm) =>
        throw NotSupported(m);

    // ---- configurations (sys.ssl.Context.Config) ----

    [HlNative("ssl", "conf_new")]
    public static object? ConfNew(HlModule m, bool server) => throw NotSupported(m);

    [HlNative("ssl", "conf_close")]
    public static void ConfClose(HlModule m, object? conf) => throw NotSupported(m);

    [HlNative("ssl", "conf_set_cert")]
    public static void ConfSetCert(HlModule m, object? conf, object? cert, object? key) => throw NotSupported(m);

    [HlNative("ssl", "conf_set_ca")]
    public static void ConfSetCa(HlModule m, object? conf, object? ca) => throw NotSupported(m);

    [HlNative("ssl", "conf_set_verify")]
    public static void ConfSetVerify(HlModule m, object? conf, int mode) => throw NotSupported(m);

    [HlNative("ssl", "conf_set_servername_callback")]
    public static void ConfSetServernameCallback(HlModule m, object? conf, HlClosure? callback) => throw NotSupported(m);

    // ---- connections (sys.ssl.Context) ----

    [HlNative("ssl", "ssl_new")]
    public static object? SslNew(HlModule m, object? conf) => throw NotSupported(m);

    [HlNative("ssl", "ssl_close")]
    public static void SslClose(HlModule m, object? context) => throw NotSupported(m);

    [HlNative("ssl", "ssl_handshake")]
    public static int SslHandshake(HlModule m, object? context) => throw NotSupported(m);

    [HlNative("ssl", "ssl_recv_char")]
    public static int SslRecvChar(HlModule m, object? context) => throw NotSupported(m);

    [HlNative("ssl", "ssl_send_char")]
    public static int SslSendChar(HlModule m, object? context, int c) => throw NotSupported(m);

    [HlNative("ssl", "ssl_get_peer_certificate")]
    public static object? SslGetPeerCertificate(HlModule m, object? context) => throw NotSupported(m);

    [HlNative("ssl", "ssl_recv")]
    public static int SslRecv(HlModule m, object? context, HlBytes buffer, int pos, int length) => throw NotSupported(m);

    [HlNative("ssl", "ssl_send")]
    public static int SslSend(HlModule m, object? context, HlBytes buffer, int pos, int length) => throw NotSupported(m);

    [HlNative("ssl", "ssl_set_socket")]
    public static void SslSetSocket(HlModule m, object? context, object? socket) => throw NotSupported(m);

    [HlNative("ssl", "ssl_set_hostname")]
    public static void SslSetHostname(HlModule m, object? context, HlBytes hostname) => throw NotSupported(m);
}
