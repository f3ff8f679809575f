using System.Text;
using System.Text.RegularExpressions;
using Dockyard.Core.Names;

namespace Dockyard.Signing.Verification;

/// <summary>
/// A repository-name pattern of a signing policy: a plain name matches itself; <c>*</c> matches within one path
/// component (<c>secure/*</c> matches <c>secure/app</c>, not <c>secure/a/b</c>); <c>**</c> matches across components
/// (<c>prod/**</c> matches <c>prod/app</c> and <c>prod/team/app</c>; <c>**</c> alone matches every repository).
/// </summary>
public sealed class RepositoryPattern
{
    private readonly Regex regex;

    private RepositoryPattern(string text, Regex regex)
    {
        Text = text;
        this.regex = regex;
    }

    public string Text { get; }

    public bool Matches(RepositoryName repository) => regex.IsMatch(repository.Value);

    /// <summary>Null when <paramref name="text"/> is empty or holds characters no repository name has.</summary>
    public static RepositoryPattern? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '/' or '.' or '_' or '-' or '*')))
        {
            return null;
        }
        var pattern = new StringBuilder("^");
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                pattern.Append(".+");
                i++;
            }
            else
            {
                pattern.Append(text[i] == '*' ? "[^/]+" : Regex.Escape(text[i].ToString()));
            }
        }
        return new RepositoryPattern(text, new Regex(pattern.Append(@"\z").ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
    }

    public override string ToString() => Text;
}
