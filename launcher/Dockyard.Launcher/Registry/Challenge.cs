namespace Dockyard.Launcher.Registry;

/// <summary>Parses the parameters of a WWW-Authenticate challenge: <c>realm="…",service="…",scope="…"</c>.</summary>
internal static class Challenge
{
    public static Dictionary<string, string> Parse(string? parameters)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameters ?? "";
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }
            var key = text[i..eq].Trim(' ', ',');
            string value;
            if (eq + 1 < text.Length && text[eq + 1] == '"')
            {
                var end = text.IndexOf('"', eq + 2);
                end = end < 0 ? text.Length : end;
                value = text[(eq + 2)..end];
                i = end + 1;
            }
            else
            {
                var end = text.IndexOf(',', eq + 1);
                end = end < 0 ? text.Length : end;
                value = text[(eq + 1)..end].Trim();
                i = end;
            }
            result[key] = value;
            i = text.IndexOf(',', Math.Min(i, text.Length)) is var comma and >= 0 ? comma + 1 : text.Length;
        }
        return result;
    }
}
