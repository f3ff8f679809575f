using System.Text.RegularExpressions;

namespace Dockyard.Http.Routing;

/// <summary>
/// The route table's templates as source-generated regexes: matched by code compiled with the assembly (ReadyToRun
/// included), so a start builds none: with <c>RegexOptions.Compiled</c> every start parsed sixty patterns and emitted
/// and JIT-compiled their matchers before the first answer. A template missing here (a test's own route) is compiled
/// at run time as before;
/// RoutePatternsTests checks that each one here is what <see cref="RouteDefinition"/> builds from its template and that
/// every route of the table has one, so a new route must be added here.
/// </summary>
internal static partial class RoutePatterns
{
    private const RegexOptions Options = RegexOptions.CultureInvariant;

    /// <summary>The generated regex of <paramref name="template"/>; null when the template is not one of the table's.</summary>
    public static Regex? Find(string template) => template switch
    {
        "/pubkeys" => AppcPubkeysAll(),
        "/appc/{name}" => AppcDiscovery(),
        "/appc/{name}/fetch/{file}" => AppcFetch(),
        "/appc/{name}/pubkeys" => AppcPubkeys(),
        "/appc/{name}/push/{version}/manifest/{aci}" => AppcPushManifest(),
        "/appc/{name}/push/{version}/asc/{aci}" => AppcPushAsc(),
        "/appc/{name}/push/{version}/aci/{aci}" => AppcPushAci(),
        "/appc/{name}/push/{version}/complete/{aci}" => AppcPushComplete(),
        "/appc/{name}/push/{aci}" => AppcPush(),
        "/{name}" => AppcDiscoveryRoot(),
        "/healthz" => HealthLive(),
        "/readyz" => HealthReady(),
        "/metrics" => Metrics(),
        "/p2p/v1/keys" => P2pKeys(),
        "/p2p/v1/{name}/blobs/{digest}/pieces" => P2pPieces(),
        "/p2p/v1/{name}/blobs/{digest}/peers" => P2pPeers(),
        "/p2p/v1/{name}/blobs/{digest}/token" => P2pToken(),
        "/uam/auth" => UamAuth(),
        "/uam/user/signup" => UamUserSignup(),
        "/uam/user" => UamUsers(),
        "/uam/user/{user}/password" => UamUserPassword(),
        "/uam/user/{user}" => UamUser(),
        "/uam/organization" => UamOrganizations(),
        "/uam/organization/adduser" => UamOrganizationAdduser(),
        "/uam/organization/removeuser/{org}/{user}" => UamOrganizationRemoveuser(),
        "/uam/organization/{org}/members" => UamOrganizationMembers(),
        "/uam/organization/{org}" => UamOrganization(),
        "/uam/team" => UamTeamsCreate(),
        "/uam/team/adduser" => UamTeamAdduser(),
        "/uam/team/addrepository" => UamTeamAddrepository(),
        "/uam/team/removeuser/{org}/{team}/{user}" => UamTeamRemoveuser(),
        "/uam/team/removerepository/{org}/{team}/{name}" => UamTeamRemoverepository(),
        "/uam/team/{org}/{team}" => UamTeam(),
        "/uam/team/{org}" => UamTeams(),
        "/uam/repository" => UamRepositoriesCreate(),
        "/uam/repository/{owner}/{name}" => UamRepository(),
        "/uam/repository/{owner}" => UamRepositories(),
        "/uam/{owner}/{name}" => UamRepositoryDelete(),
        "/uam/{org}" => UamOrganizationDelete(),
        "/v1/_ping" => V1Ping(),
        "/v1/users/" => V1Users(),
        "/v1/search" => V1Search(),
        "/v1/images/{id}/json" => V1ImageJson(),
        "/v1/images/{id}/layer" => V1ImageLayer(),
        "/v1/images/{id}/checksum" => V1ImageChecksum(),
        "/v1/images/{id}/ancestry" => V1ImageAncestry(),
        "/v1/repositories/{name}/images" => V1RepositoryImages(),
        "/v1/repositories/{name}/tags" => V1RepositoryTags(),
        "/v1/repositories/{name}/tags/{tag}" => V1RepositoryTag(),
        "/v1/repositories/{name}/" => V1Repository(),
        "/v2/" => V2Base(),
        "/v2/_catalog" => V2Catalog(),
        "/v2/{name}/tags/list" => V2Tags(),
        "/v2/{name}/manifests/{reference}" => V2Manifest(),
        "/v2/{name}/blobs/uploads/" => V2UploadStart(),
        "/v2/{name}/blobs/uploads/{uuid}" => V2Upload(),
        "/v2/{name}/blobs/{digest}" => V2Blob(),
        "/v2/{name}/referrers/{digest}" => V2Referrers(),
        "/extensions/v2/{name}/signatures/{digest}" => ExtensionsSignatures(),
        "/extensions/v2/{name}/volume/lease" => ExtensionsVolumesLease(),
        _ => null,
    };

    [GeneratedRegex(@"^/pubkeys\z", Options)] private static partial Regex AppcPubkeysAll();
    [GeneratedRegex(@"^/appc/(?<name>.+)\z", Options)] private static partial Regex AppcDiscovery();
    [GeneratedRegex(@"^/appc/(?<name>.+)/fetch/(?<file>[^/]+)\z", Options)] private static partial Regex AppcFetch();
    [GeneratedRegex(@"^/appc/(?<name>.+)/pubkeys\z", Options)] private static partial Regex AppcPubkeys();
    [GeneratedRegex(@"^/appc/(?<name>.+)/push/(?<version>[^/]+)/manifest/(?<aci>[^/]+)\z", Options)] private static partial Regex AppcPushManifest();
    [GeneratedRegex(@"^/appc/(?<name>.+)/push/(?<version>[^/]+)/asc/(?<aci>[^/]+)\z", Options)] private static partial Regex AppcPushAsc();
    [GeneratedRegex(@"^/appc/(?<name>.+)/push/(?<version>[^/]+)/aci/(?<aci>[^/]+)\z", Options)] private static partial Regex AppcPushAci();
    [GeneratedRegex(@"^/appc/(?<name>.+)/push/(?<version>[^/]+)/complete/(?<aci>[^/]+)\z", Options)] private static partial Regex AppcPushComplete();
    [GeneratedRegex(@"^/appc/(?<name>.+)/push/(?<aci>[^/]+)\z", Options)] private static partial Regex AppcPush();
    [GeneratedRegex(@"^/(?<name>.+)\z", Options)] private static partial Regex AppcDiscoveryRoot();
    [GeneratedRegex(@"^/healthz\z", Options)] private static partial Regex HealthLive();
    [GeneratedRegex(@"^/readyz\z", Options)] private static partial Regex HealthReady();
    [GeneratedRegex(@"^/metrics\z", Options)] private static partial Regex Metrics();
    [GeneratedRegex(@"^/p2p/v1/keys\z", Options)] private static partial Regex P2pKeys();
    [GeneratedRegex(@"^/p2p/v1/(?<name>.+)/blobs/(?<digest>[^/]+)/pieces\z", Options)] private static partial Regex P2pPieces();
    [GeneratedRegex(@"^/p2p/v1/(?<name>.+)/blobs/(?<digest>[^/]+)/peers\z", Options)] private static partial Regex P2pPeers();
    [GeneratedRegex(@"^/p2p/v1/(?<name>.+)/blobs/(?<digest>[^/]+)/token\z", Options)] private static partial Regex P2pToken();
    [GeneratedRegex(@"^/uam/auth\z", Options)] private static partial Regex UamAuth();
    [GeneratedRegex(@"^/uam/user/signup\z", Options)] private static partial Regex UamUserSignup();
    [GeneratedRegex(@"^/uam/user\z", Options)] private static partial Regex UamUsers();
    [GeneratedRegex(@"^/uam/user/(?<user>[^/]+)/password\z", Options)] private static partial Regex UamUserPassword();
    [GeneratedRegex(@"^/uam/user/(?<user>[^/]+)\z", Options)] private static partial Regex UamUser();
    [GeneratedRegex(@"^/uam/organization\z", Options)] private static partial Regex UamOrganizations();
    [GeneratedRegex(@"^/uam/organization/adduser\z", Options)] private static partial Regex UamOrganizationAdduser();
    [GeneratedRegex(@"^/uam/organization/removeuser/(?<org>[^/]+)/(?<user>[^/]+)\z", Options)] private static partial Regex UamOrganizationRemoveuser();
    [GeneratedRegex(@"^/uam/organization/(?<org>[^/]+)/members\z", Options)] private static partial Regex UamOrganizationMembers();
    [GeneratedRegex(@"^/uam/organization/(?<org>[^/]+)\z", Options)] private static partial Regex UamOrganization();
    [GeneratedRegex(@"^/uam/team\z", Options)] private static partial Regex UamTeamsCreate();
    [GeneratedRegex(@"^/uam/team/adduser\z", Options)] private static partial Regex UamTeamAdduser();
    [GeneratedRegex(@"^/uam/team/addrepository\z", Options)] private static partial Regex UamTeamAddrepository();
    [GeneratedRegex(@"^/uam/team/removeuser/(?<org>[^/]+)/(?<team>[^/]+)/(?<user>[^/]+)\z", Options)] private static partial Regex UamTeamRemoveuser();
    [GeneratedRegex(@"^/uam/team/removerepository/(?<org>[^/]+)/(?<team>[^/]+)/(?<name>.+)\z", Options)] private static partial Regex UamTeamRemoverepository();
    [GeneratedRegex(@"^/uam/team/(?<org>[^/]+)/(?<team>[^/]+)\z", Options)] private static partial Regex UamTeam();
    [GeneratedRegex(@"^/uam/team/(?<org>[^/]+)\z", Options)] private static partial Regex UamTeams();
    [GeneratedRegex(@"^/uam/repository\z", Options)] private static partial Regex UamRepositoriesCreate();
    [GeneratedRegex(@"^/uam/repository/(?<owner>[^/]+)/(?<name>.+)\z", Options)] private static partial Regex UamRepository();
    [GeneratedRegex(@"^/uam/repository/(?<owner>[^/]+)\z", Options)] private static partial Regex UamRepositories();
    [GeneratedRegex(@"^/uam/(?<owner>[^/]+)/(?<name>.+)\z", Options)] private static partial Regex UamRepositoryDelete();
    [GeneratedRegex(@"^/uam/(?<org>[^/]+)\z", Options)] private static partial Regex UamOrganizationDelete();
    [GeneratedRegex(@"^/v1/_ping\z", Options)] private static partial Regex V1Ping();
    [GeneratedRegex(@"^/v1/users/?\z", Options)] private static partial Regex V1Users();
    [GeneratedRegex(@"^/v1/search\z", Options)] private static partial Regex V1Search();
    [GeneratedRegex(@"^/v1/images/(?<id>[^/]+)/json\z", Options)] private static partial Regex V1ImageJson();
    [GeneratedRegex(@"^/v1/images/(?<id>[^/]+)/layer\z", Options)] private static partial Regex V1ImageLayer();
    [GeneratedRegex(@"^/v1/images/(?<id>[^/]+)/checksum\z", Options)] private static partial Regex V1ImageChecksum();
    [GeneratedRegex(@"^/v1/images/(?<id>[^/]+)/ancestry\z", Options)] private static partial Regex V1ImageAncestry();
    [GeneratedRegex(@"^/v1/repositories/(?<name>.+)/images\z", Options)] private static partial Regex V1RepositoryImages();
    [GeneratedRegex(@"^/v1/repositories/(?<name>.+)/tags\z", Options)] private static partial Regex V1RepositoryTags();
    [GeneratedRegex(@"^/v1/repositories/(?<name>.+)/tags/(?<tag>[^/]+)\z", Options)] private static partial Regex V1RepositoryTag();
    [GeneratedRegex(@"^/v1/repositories/(?<name>.+)/?\z", Options)] private static partial Regex V1Repository();
    [GeneratedRegex(@"^/v2/?\z", Options)] private static partial Regex V2Base();
    [GeneratedRegex(@"^/v2/_catalog\z", Options)] private static partial Regex V2Catalog();
    [GeneratedRegex(@"^/v2/(?<name>.+)/tags/list\z", Options)] private static partial Regex V2Tags();
    [GeneratedRegex(@"^/v2/(?<name>.+)/manifests/(?<reference>[^/]+)\z", Options)] private static partial Regex V2Manifest();
    [GeneratedRegex(@"^/v2/(?<name>.+)/blobs/uploads/?\z", Options)] private static partial Regex V2UploadStart();
    [GeneratedRegex(@"^/v2/(?<name>.+)/blobs/uploads/(?<uuid>[^/]+)\z", Options)] private static partial Regex V2Upload();
    [GeneratedRegex(@"^/v2/(?<name>.+)/blobs/(?<digest>[^/]+)\z", Options)] private static partial Regex V2Blob();
    [GeneratedRegex(@"^/v2/(?<name>.+)/referrers/(?<digest>[^/]+)\z", Options)] private static partial Regex V2Referrers();
    [GeneratedRegex(@"^/extensions/v2/(?<name>.+)/signatures/(?<digest>[^/]+)\z", Options)] private static partial Regex ExtensionsSignatures();
    [GeneratedRegex(@"^/extensions/v2/(?<name>.+)/volume/lease\z", Options)] private static partial Regex ExtensionsVolumesLease();
}
