namespace Dockyard.Launcher.Agent;

/// <summary>
/// Which pieces of a blob a peer holds or is fetching from the registry, as the peer endpoint's
/// <c>GET /p2p/v1/pieces/&lt;digest&gt;</c> answers it: <c>{"held":"&lt;base64&gt;","fetching":"&lt;base64&gt;"}</c>,
/// each a bit string, piece 0 the high bit of the first byte (as BitTorrent's bitfield). It is only a hint of where
/// to ask: the bytes a peer sends are checked against the registry's hashes whatever it claims here.
/// </summary>
internal sealed record PieceBitfield(bool[] Held, bool[] Fetching)
{
    /// <summary>The most pieces a bitfield names (a 64 GiB blob in 4 MiB pieces): longer answers are refused.</summary>
    public const int MaxPieces = 1 << 14;

    public static string Encode(IEnumerable<int> indices)
    {
        var list = indices.Where(i => i is >= 0 and < MaxPieces).ToArray();
        var bits = new byte[list.Length == 0 ? 0 : (list.Max() >> 3) + 1];
        foreach (var i in list)
        {
            bits[i >> 3] |= (byte)(0x80 >> (i & 7));
        }
        return Convert.ToBase64String(bits);
    }

    /// <summary>The first <paramref name="count"/> bits; null when the text is not base64 or longer than the blob needs.</summary>
    public static bool[]? Decode(string? text, int count)
    {
        var bytes = new byte[(count >> 3) + 1];
        if (text is null || !Convert.TryFromBase64String(text, bytes, out var length))
        {
            return null;
        }
        var bits = new bool[count];
        for (var i = 0; i < count && (i >> 3) < length; i++)
        {
            bits[i] = (bytes[i >> 3] & (0x80 >> (i & 7))) != 0;
        }
        return bits;
    }
}
