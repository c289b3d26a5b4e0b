# Generated with Microsoft365DSC version 1.24.1016.1
# For additional information on how to use Microsoft365DSC, please visit https://aka.ms/M365DSC
param (
)

Configuration M365TenantConfig
{
    param (
    )

    $OrganizationName = $ConfigurationData.NonNodeData.OrganizationName

    Import-DscResource -ModuleName 'Microsoft365DSC' -ModuleVersion '1.24.1016.1'

    Node localhost
    {
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA001 - All users - Block legacy authentication"
        {
            AuthenticationContexts     = @();
            AuthenticationStrength     = "";
            BuiltInControls            = @("block");
            ClientAppTypes             = @("exchangeActiveSync");
            DisplayName                = "CA001 - All users - Block legacy authentication";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @("CA-Exclude-BreakGlass");
            ExcludeLocations           = @();
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0001-4000-8000-000000000001";
            IncludeApplications        = @("All");
            IncludeGroups              = @();
            IncludeLocations           = @();
            IncludePlatforms           = @();
            IncludeRoles               = @();
            IncludeUserActions         = @();
            IncludeUsers               = @("All");
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabled";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA100 - Admins - Require MFA"
        {
            AuthenticationContexts     = @();
            AuthenticationStrength     = "";
            BuiltInControls            = @("mfa","compliantDevice");
            ClientAppTypes             = @("all");
            DisplayName                = "CA100 - Admins - Require MFA";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @("CA-Exclude-BreakGlass","CA-Exclude-ServiceAccounts");
            ExcludeLocations           = @();
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0100-4000-8000-000000000100";
            IncludeApplications        = @("All");
            IncludeGroups              = @();
            IncludeLocations           = @();
            IncludePlatforms           = @();
            IncludeRoles               = @("Security Administrator","Exchange Administrator","Global Administrator","Conditional Access Administrator","SharePoint Administrator","Helpdesk Administrator","Billing Administrator","User Administrator","Authentication Administrator");
            IncludeUserActions         = @();
            IncludeUsers               = @();
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabled";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA102 - All users - Require MFA outside trusted locations"
        {
            AuthenticationContexts     = @();
            AuthenticationStrength     = "";
            BuiltInControls            = @("mfa");
            ClientAppTypes             = @("all");
            DisplayName                = "CA102 - All users - Require MFA outside trusted locations";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @("CA-Exclude-BreakGlass","CA-Exclude-ServiceAccounts");
            ExcludeLocations           = @("Contoso HQ egress");
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @("frank.fischer@contoso.com");
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0102-4000-8000-000000000102";
            IncludeApplications        = @("All");
            IncludeGroups              = @();
            IncludeLocations           = @("All");
            IncludePlatforms           = @();
            IncludeRoles               = @();
            IncludeUserActions         = @();
            IncludeUsers               = @("All");
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabled";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA105 - Admins - Require phishing-resistant MFA"
        {
            AuthenticationContexts     = @();
            AuthenticationStrength     = "Phishing-resistant MFA";
            BuiltInControls            = @();
            ClientAppTypes             = @("all");
            DisplayName                = "CA105 - Admins - Require phishing-resistant MFA";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @("CA-Exclude-ServiceAccounts");
            ExcludeLocations           = @();
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0105-4000-8000-000000000105";
            IncludeApplications        = @("All");
            IncludeGroups              = @();
            IncludeLocations           = @();
            IncludePlatforms           = @();
            IncludeRoles               = @("Security Administrator","Exchange Administrator","Global Administrator","Conditional Access Administrator","SharePoint Administrator","Helpdesk Administrator","Billing Administrator","User Administrator","Authentication Administrator","Application Administrator","Cloud Application Administrator","Password Administrator","Privileged Authentication Administrator","Privileged Role Administrator","Hybrid Identity Administrator");
            IncludeUserActions         = @();
            IncludeUsers               = @();
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabledForReportingButNotEnforced";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA106 - Admins - Security keys (pilot)"
        {
            AuthenticationContexts     = @();
            AuthenticationStrength     = "Security keys only";
            BuiltInControls            = @();
            ClientAppTypes             = @("all");
            DisplayName                = "CA106 - Admins - Security keys (pilot)";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @("CA-Exclude-ServiceAccounts");
            ExcludeLocations           = @();
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0106-4000-8000-000000000106";
            IncludeApplications        = @("All");
            IncludeGroups              = @();
            IncludeLocations           = @();
            IncludePlatforms           = @();
            IncludeRoles               = @("Security Administrator","Exchange Administrator","Global Administrator","Conditional Access Administrator","SharePoint Administrator","Helpdesk Administrator","Billing Administrator","User Administrator","Authentication Administrator","Application Administrator","Cloud Application Administrator","Password Administrator","Privileged Authentication Administrator","Privileged Role Administrator","Hybrid Identity Administrator");
            IncludeUserActions         = @();
            IncludeUsers               = @();
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabledForReportingButNotEnforced";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA210 - PIM elevation - require MFA"
        {
            AuthenticationContexts     = @("PIM elevation");
            AuthenticationStrength     = "";
            BuiltInControls            = @("mfa");
            ClientAppTypes             = @("all");
            DisplayName                = "CA210 - PIM elevation - require MFA";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @("CA-Exclude-BreakGlass");
            ExcludeLocations           = @("Contoso HQ egress");
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0210-4000-8000-000000000210";
            IncludeApplications        = @();
            IncludeGroups              = @("PIM-Elevation-Users");
            IncludeLocations           = @("All");
            IncludePlatforms           = @();
            IncludeRoles               = @();
            IncludeUserActions         = @();
            IncludeUsers               = @();
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "everyTime";
            SignInFrequencyIsEnabled   = $True;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabled";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA211 - Helpdesk elevation - Modern MFA"
        {
            AuthenticationContexts     = @("Helpdesk elevation");
            AuthenticationStrength     = "Modern MFA + TAP";
            BuiltInControls            = @();
            ClientAppTypes             = @("all");
            DisplayName                = "CA211 - Helpdesk elevation - Modern MFA";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @("CA-Exclude-BreakGlass");
            ExcludeLocations           = @();
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0211-4000-8000-000000000211";
            IncludeApplications        = @();
            IncludeGroups              = @();
            IncludeLocations           = @();
            IncludePlatforms           = @();
            IncludeRoles               = @("User Administrator");
            IncludeUserActions         = @();
            IncludeUsers               = @();
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabled";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA212 - Authentication admin elevation - phishing-resistant (pilot)"
        {
            AuthenticationContexts     = @("Authentication admin elevation");
            AuthenticationStrength     = "Phishing-resistant MFA";
            BuiltInControls            = @();
            ClientAppTypes             = @("all");
            DisplayName                = "CA212 - Authentication admin elevation - phishing-resistant (pilot)";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @("CA-Exclude-BreakGlass");
            ExcludeLocations           = @();
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0212-4000-8000-000000000212";
            IncludeApplications        = @();
            IncludeGroups              = @();
            IncludeLocations           = @();
            IncludePlatforms           = @();
            IncludeRoles               = @();
            IncludeUserActions         = @();
            IncludeUsers               = @("All");
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabledForReportingButNotEnforced";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-CA300 - Contractors - Require compliant device"
        {
            AuthenticationContexts     = @();
            AuthenticationStrength     = "";
            BuiltInControls            = @("compliantDevice");
            ClientAppTypes             = @("all");
            DisplayName                = "CA300 - Contractors - Require compliant device";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @();
            ExcludeLocations           = @();
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0300-4000-8000-000000000300";
            IncludeApplications        = @("All");
            IncludeGroups              = @();
            IncludeLocations           = @();
            IncludePlatforms           = @();
            IncludeRoles               = @();
            IncludeUserActions         = @();
            IncludeUsers               = @("None");
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabled";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADConditionalAccessPolicy "AADConditionalAccessPolicy-Multifactor authentication for all users"
        {
            AuthenticationContexts     = @();
            AuthenticationStrength     = "";
            BuiltInControls            = @("mfa");
            ClientAppTypes             = @("all");
            DisplayName                = "Multifactor authentication for all users";
            Ensure                     = "Present";
            ExcludeApplications        = @();
            ExcludeGroups              = @();
            ExcludeLocations           = @();
            ExcludePlatforms           = @();
            ExcludeRoles               = @();
            ExcludeUsers               = @();
            GrantControlOperator       = "OR";
            Id                         = "3c4d5e6f-0900-4000-8000-000000000900";
            IncludeApplications        = @("All");
            IncludeGroups              = @();
            IncludeLocations           = @();
            IncludePlatforms           = @();
            IncludeRoles               = @();
            IncludeUserActions         = @();
            IncludeUsers               = @("All");
            PersistentBrowserIsEnabled = $False;
            PersistentBrowserMode      = "";
            SignInFrequencyInterval    = "";
            SignInFrequencyIsEnabled   = $False;
            SignInFrequencyType        = "";
            SignInFrequencyValue       = 0;
            SignInRiskLevels           = @();
            State                      = "enabledForReportingButNotEnforced";
            UserRiskLevels             = @();
            ApplicationId              = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint      = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                   = $OrganizationName;
        }
        AADAuthenticationContextClassReference "AADAuthenticationContextClassReference-PIM elevation"
        {
            Description = "Step-up required to activate Tier 0 roles in PIM.";
            DisplayName = "PIM elevation";
            Ensure      = "Present";
            Id          = "c1";
            IsAvailable = $True;
            ApplicationId = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId    = $OrganizationName;
        }
        AADAuthenticationContextClassReference "AADAuthenticationContextClassReference-Security operations elevation"
        {
            Description = "Step-up required to activate security operations roles in PIM.";
            DisplayName = "Security operations elevation";
            Ensure      = "Present";
            Id          = "c2";
            IsAvailable = $True;
            ApplicationId = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId    = $OrganizationName;
        }
        AADAuthenticationContextClassReference "AADAuthenticationContextClassReference-Helpdesk elevation"
        {
            Description = "Step-up required to activate user and helpdesk administration roles in PIM.";
            DisplayName = "Helpdesk elevation";
            Ensure      = "Present";
            Id          = "c3";
            IsAvailable = $True;
            ApplicationId = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId    = $OrganizationName;
        }
        AADAuthenticationContextClassReference "AADAuthenticationContextClassReference-Authentication admin elevation"
        {
            Description = "Step-up for Authentication Administrator activation";
            DisplayName = "Authentication admin elevation";
            Ensure      = "Present";
            Id          = "c4";
            IsAvailable = $True;
            ApplicationId = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId    = $OrganizationName;
        }
        AADAuthenticationContextClassReference "AADAuthenticationContextClassReference-Finance app step-up"
        {
            Description = "For the finance reporting app (never onboarded)";
            DisplayName = "Finance app step-up";
            Ensure      = "Present";
            Id          = "c5";
            IsAvailable = $True;
            ApplicationId = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId    = $OrganizationName;
        }
        AADNamedLocationPolicy "AADNamedLocationPolicy-Contoso HQ egress"
        {
            DisplayName = "Contoso HQ egress";
            Ensure      = "Present";
            Id          = "4d5e6f70-0001-4000-8000-000000000001";
            OdataType   = "#microsoft.graph.ipNamedLocation";
            IpRanges    = @("203.0.113.0/24","198.51.100.16/28");
            IsTrusted   = $True;
            ApplicationId = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId    = $OrganizationName;
        }
        AADAuthenticationStrengthPolicy "AADAuthenticationStrengthPolicy-Modern MFA + TAP"
        {
            AllowedCombinations = @("fido2","windowsHelloForBusiness","temporaryAccessPassOneTime","password,microsoftAuthenticatorPush");
            Description         = "Authenticator push, FIDO2, Windows Hello for Business or a one-time Temporary Access Pass";
            DisplayName         = "Modern MFA + TAP";
            Ensure              = "Present";
            Id                  = "6e7f8091-0001-4000-8000-000000000001";
            ApplicationId       = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId            = $OrganizationName;
        }
        AADAuthenticationStrengthPolicy "AADAuthenticationStrengthPolicy-Security keys only"
        {
            AllowedCombinations = @("fido2");
            Description         = "FIDO2 security keys for the admin pilot";
            DisplayName         = "Security keys only";
            Ensure              = "Present";
            Id                  = "6e7f8091-0002-4000-8000-000000000002";
            ApplicationId       = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId            = $OrganizationName;
        }
        AADRoleSetting "62e90394-69f5-4237-9190-012177145e10"
        {
            ActivateApprover                                       = @("alice.admin@contoso.com");
            ActivationMaxDuration                                  = "PT8H";
            ActivationReqJustification                             = $True;
            ActivationReqMFA                                       = $True;
            ActivationReqTicket                                    = $False;
            ApprovaltoActivate                                     = $True;
            AssignmentReqJustification                             = $True;
            AssignmentReqMFA                                       = $False;
            AuthenticationContextId                                = "";
            AuthenticationContextName                              = "";
            AuthenticationContextRequired                          = $False;
            Displayname                                            = "Global Administrator";
            EligibleAssignmentAlertNotificationAdditionalRecipient = @();
            EligibleAssignmentAlertNotificationDefaultRecipient    = $True;
            EligibleAssignmentAlertNotificationOnlyCritical        = $False;
            Ensure                                                 = "Present";
            ExpireActiveAssignment                                 = "P180D";
            ExpireEligibleAssignment                               = "P365D";
            Id                                                     = "62e90394-69f5-4237-9190-012177145e10";
            PermanentActiveAssignmentisExpirationRequired          = $False;
            PermanentEligibleAssignmentisExpirationRequired        = $False;
            ApplicationId                                          = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint                                  = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                                               = $OrganizationName;
        }
        AADRoleSetting "e8611ab8-c189-46e8-94e1-60213ab1f814"
        {
            ActivateApprover                                       = @();
            ActivationMaxDuration                                  = "PT8H";
            ActivationReqJustification                             = $True;
            ActivationReqMFA                                       = $False;
            ActivationReqTicket                                    = $False;
            ApprovaltoActivate                                     = $False;
            AssignmentReqJustification                             = $True;
            AssignmentReqMFA                                       = $False;
            AuthenticationContextId                                = "";
            AuthenticationContextName                              = "";
            AuthenticationContextRequired                          = $False;
            Displayname                                            = "Privileged Role Administrator";
            EligibleAssignmentAlertNotificationAdditionalRecipient = @();
            EligibleAssignmentAlertNotificationDefaultRecipient    = $True;
            EligibleAssignmentAlertNotificationOnlyCritical        = $False;
            Ensure                                                 = "Present";
            ExpireActiveAssignment                                 = "P180D";
            ExpireEligibleAssignment                               = "P365D";
            Id                                                     = "e8611ab8-c189-46e8-94e1-60213ab1f814";
            PermanentActiveAssignmentisExpirationRequired          = $False;
            PermanentEligibleAssignmentisExpirationRequired        = $False;
            ApplicationId                                          = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint                                  = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                                               = $OrganizationName;
        }
        AADRoleSetting "194ae4cb-b126-40b2-bd5b-6091b380977d"
        {
            ActivateApprover                                       = @();
            ActivationMaxDuration                                  = "PT8H";
            ActivationReqJustification                             = $True;
            ActivationReqMFA                                       = $False;
            ActivationReqTicket                                    = $False;
            ApprovaltoActivate                                     = $False;
            AssignmentReqJustification                             = $True;
            AssignmentReqMFA                                       = $False;
            AuthenticationContextId                                = "c2";
            AuthenticationContextName                              = "Security operations elevation";
            AuthenticationContextRequired                          = $True;
            Displayname                                            = "Security Administrator";
            EligibleAssignmentAlertNotificationAdditionalRecipient = @();
            EligibleAssignmentAlertNotificationDefaultRecipient    = $True;
            EligibleAssignmentAlertNotificationOnlyCritical        = $False;
            Ensure                                                 = "Present";
            ExpireActiveAssignment                                 = "P180D";
            ExpireEligibleAssignment                               = "P365D";
            Id                                                     = "194ae4cb-b126-40b2-bd5b-6091b380977d";
            PermanentActiveAssignmentisExpirationRequired          = $False;
            PermanentEligibleAssignmentisExpirationRequired        = $False;
            ApplicationId                                          = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint                                  = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                                               = $OrganizationName;
        }
        AADRoleSetting "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
        {
            ActivateApprover                                       = @();
            ActivationMaxDuration                                  = "PT8H";
            ActivationReqJustification                             = $True;
            ActivationReqMFA                                       = $False;
            ActivationReqTicket                                    = $False;
            ApprovaltoActivate                                     = $False;
            AssignmentReqJustification                             = $True;
            AssignmentReqMFA                                       = $False;
            AuthenticationContextId                                = "c1";
            AuthenticationContextName                              = "PIM elevation";
            AuthenticationContextRequired                          = $True;
            Displayname                                            = "Privileged Authentication Administrator";
            EligibleAssignmentAlertNotificationAdditionalRecipient = @();
            EligibleAssignmentAlertNotificationDefaultRecipient    = $True;
            EligibleAssignmentAlertNotificationOnlyCritical        = $False;
            Ensure                                                 = "Present";
            ExpireActiveAssignment                                 = "P180D";
            ExpireEligibleAssignment                               = "P365D";
            Id                                                     = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
            PermanentActiveAssignmentisExpirationRequired          = $False;
            PermanentEligibleAssignmentisExpirationRequired        = $False;
            ApplicationId                                          = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint                                  = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                                               = $OrganizationName;
        }
        AADRoleSetting "fe930be7-5e62-47db-91af-98c3a49a38b1"
        {
            ActivateApprover                                       = @();
            ActivationMaxDuration                                  = "PT8H";
            ActivationReqJustification                             = $True;
            ActivationReqMFA                                       = $False;
            ActivationReqTicket                                    = $False;
            ApprovaltoActivate                                     = $False;
            AssignmentReqJustification                             = $True;
            AssignmentReqMFA                                       = $False;
            AuthenticationContextId                                = "c3";
            AuthenticationContextName                              = "Helpdesk elevation";
            AuthenticationContextRequired                          = $True;
            Displayname                                            = "User Administrator";
            EligibleAssignmentAlertNotificationAdditionalRecipient = @();
            EligibleAssignmentAlertNotificationDefaultRecipient    = $True;
            EligibleAssignmentAlertNotificationOnlyCritical        = $False;
            Ensure                                                 = "Present";
            ExpireActiveAssignment                                 = "P180D";
            ExpireEligibleAssignment                               = "P365D";
            Id                                                     = "fe930be7-5e62-47db-91af-98c3a49a38b1";
            PermanentActiveAssignmentisExpirationRequired          = $False;
            PermanentEligibleAssignmentisExpirationRequired        = $False;
            ApplicationId                                          = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint                                  = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                                               = $OrganizationName;
        }
        AADRoleSetting "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9"
        {
            ActivateApprover                                       = @();
            ActivationMaxDuration                                  = "PT8H";
            ActivationReqJustification                             = $True;
            ActivationReqMFA                                       = $False;
            ActivationReqTicket                                    = $False;
            ApprovaltoActivate                                     = $False;
            AssignmentReqJustification                             = $True;
            AssignmentReqMFA                                       = $False;
            AuthenticationContextId                                = "c9";
            AuthenticationContextName                              = "";
            AuthenticationContextRequired                          = $True;
            Displayname                                            = "Conditional Access Administrator";
            EligibleAssignmentAlertNotificationAdditionalRecipient = @();
            EligibleAssignmentAlertNotificationDefaultRecipient    = $True;
            EligibleAssignmentAlertNotificationOnlyCritical        = $False;
            Ensure                                                 = "Present";
            ExpireActiveAssignment                                 = "P180D";
            ExpireEligibleAssignment                               = "P365D";
            Id                                                     = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
            PermanentActiveAssignmentisExpirationRequired          = $False;
            PermanentEligibleAssignmentisExpirationRequired        = $False;
            ApplicationId                                          = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint                                  = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                                               = $OrganizationName;
        }
        AADRoleSetting "c4e39bd9-1100-46d3-8c65-fb160da0071f"
        {
            ActivateApprover                                       = @();
            ActivationMaxDuration                                  = "PT8H";
            ActivationReqJustification                             = $True;
            ActivationReqMFA                                       = $False;
            ActivationReqTicket                                    = $False;
            ApprovaltoActivate                                     = $False;
            AssignmentReqJustification                             = $True;
            AssignmentReqMFA                                       = $False;
            AuthenticationContextId                                = "c4";
            AuthenticationContextName                              = "Authentication admin elevation";
            AuthenticationContextRequired                          = $True;
            Displayname                                            = "Authentication Administrator";
            EligibleAssignmentAlertNotificationAdditionalRecipient = @();
            EligibleAssignmentAlertNotificationDefaultRecipient    = $True;
            EligibleAssignmentAlertNotificationOnlyCritical        = $False;
            Ensure                                                 = "Present";
            ExpireActiveAssignment                                 = "P180D";
            ExpireEligibleAssignment                               = "P365D";
            Id                                                     = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
            PermanentActiveAssignmentisExpirationRequired          = $False;
            PermanentEligibleAssignmentisExpirationRequired        = $False;
            ApplicationId                                          = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint                                  = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId                                               = $OrganizationName;
        }
        AADRoleEligibilityScheduleRequest "AADRoleEligibilityScheduleRequest-Global Administrator-alice.admin@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "f0e1d2c3-0001-4000-8000-000000000001";
            IsValidationOnly = $False;
            Principal        = "alice.admin@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Global Administrator";
            ScheduleInfo     = MSFT_AADRoleEligibilityScheduleRequestSchedule{
                startDateTime = "2023-06-12T09:02:41.337Z"
                expiration    = MSFT_AADRoleEligibilityScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleEligibilityScheduleRequest "AADRoleEligibilityScheduleRequest-Privileged Role Administrator-bob.baker@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "f0e1d2c3-0002-4000-8000-000000000002";
            IsValidationOnly = $False;
            Principal        = "bob.baker@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Privileged Role Administrator";
            ScheduleInfo     = MSFT_AADRoleEligibilityScheduleRequestSchedule{
                startDateTime = "2023-06-12T09:04:10.81Z"
                expiration    = MSFT_AADRoleEligibilityScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleEligibilityScheduleRequest "AADRoleEligibilityScheduleRequest-Security Administrator-carol.chen@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "f0e1d2c3-0003-4000-8000-000000000003";
            IsValidationOnly = $False;
            Principal        = "carol.chen@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Security Administrator";
            ScheduleInfo     = MSFT_AADRoleEligibilityScheduleRequestSchedule{
                startDateTime = "2024-01-22T15:31:07.402Z"
                expiration    = MSFT_AADRoleEligibilityScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleEligibilityScheduleRequest "AADRoleEligibilityScheduleRequest-Privileged Authentication Administrator-erin.evans@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "f0e1d2c3-0004-4000-8000-000000000004";
            IsValidationOnly = $False;
            Principal        = "erin.evans@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Privileged Authentication Administrator";
            ScheduleInfo     = MSFT_AADRoleEligibilityScheduleRequestSchedule{
                startDateTime = "2023-06-12T09:06:55.19Z"
                expiration    = MSFT_AADRoleEligibilityScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleEligibilityScheduleRequest "AADRoleEligibilityScheduleRequest-User Administrator-frank.fischer@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "f0e1d2c3-0005-4000-8000-000000000005";
            IsValidationOnly = $False;
            Principal        = "frank.fischer@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "User Administrator";
            ScheduleInfo     = MSFT_AADRoleEligibilityScheduleRequestSchedule{
                startDateTime = "2024-03-18T14:01:36.775Z"
                expiration    = MSFT_AADRoleEligibilityScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleEligibilityScheduleRequest "AADRoleEligibilityScheduleRequest-Conditional Access Administrator-dave.dunn@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "f0e1d2c3-0006-4000-8000-000000000006";
            IsValidationOnly = $False;
            Principal        = "dave.dunn@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Conditional Access Administrator";
            ScheduleInfo     = MSFT_AADRoleEligibilityScheduleRequestSchedule{
                startDateTime = "2024-01-22T15:31:07.402Z"
                expiration    = MSFT_AADRoleEligibilityScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleEligibilityScheduleRequest "AADRoleEligibilityScheduleRequest-Authentication Administrator-carol.chen@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "f0e1d2c3-0007-4000-8000-000000000007";
            IsValidationOnly = $False;
            Principal        = "carol.chen@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Authentication Administrator";
            ScheduleInfo     = MSFT_AADRoleEligibilityScheduleRequestSchedule{
                startDateTime = "2024-01-22T15:31:07.402Z"
                expiration    = MSFT_AADRoleEligibilityScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleAssignmentScheduleRequest "AADRoleAssignmentScheduleRequest-Global Administrator-bg-admin01@$OrganizationName"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "e0d1c2b3-0001-4000-8000-000000000001";
            IsValidationOnly = $False;
            Principal        = "bg-admin01@$OrganizationName";
            PrincipalType    = "User";
            RoleDefinition   = "Global Administrator";
            ScheduleInfo     = MSFT_AADRoleAssignmentScheduleRequestSchedule{
                startDateTime = "2023-01-10T08:00:00.000Z"
                expiration    = MSFT_AADRoleAssignmentScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleAssignmentScheduleRequest "AADRoleAssignmentScheduleRequest-Global Administrator-bg-admin02@$OrganizationName"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "e0d1c2b3-0002-4000-8000-000000000002";
            IsValidationOnly = $False;
            Principal        = "bg-admin02@$OrganizationName";
            PrincipalType    = "User";
            RoleDefinition   = "Global Administrator";
            ScheduleInfo     = MSFT_AADRoleAssignmentScheduleRequestSchedule{
                startDateTime = "2023-01-10T08:00:00.000Z"
                expiration    = MSFT_AADRoleAssignmentScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleAssignmentScheduleRequest "AADRoleAssignmentScheduleRequest-Exchange Administrator-dave.dunn@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "e0d1c2b3-0003-4000-8000-000000000003";
            IsValidationOnly = $False;
            Principal        = "dave.dunn@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Exchange Administrator";
            ScheduleInfo     = MSFT_AADRoleAssignmentScheduleRequestSchedule{
                startDateTime = "2024-03-04T11:20:00.000Z"
                expiration    = MSFT_AADRoleAssignmentScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleAssignmentScheduleRequest "AADRoleAssignmentScheduleRequest-Helpdesk Administrator-svc-adsync@contoso.com"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "e0d1c2b3-0004-4000-8000-000000000004";
            IsValidationOnly = $False;
            Principal        = "svc-adsync@contoso.com";
            PrincipalType    = "User";
            RoleDefinition   = "Helpdesk Administrator";
            ScheduleInfo     = MSFT_AADRoleAssignmentScheduleRequestSchedule{
                startDateTime = "2022-09-15T07:45:00.000Z"
                expiration    = MSFT_AADRoleAssignmentScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADRoleAssignmentScheduleRequest "AADRoleAssignmentScheduleRequest-Security Administrator-PIM-SecurityOps"
        {
            Action           = "AdminAssign";
            DirectoryScopeId = "/";
            Ensure           = "Present";
            Id               = "e0d1c2b3-0005-4000-8000-000000000005";
            IsValidationOnly = $False;
            Principal        = "PIM-SecurityOps";
            PrincipalType    = "Group";
            RoleDefinition   = "Security Administrator";
            ScheduleInfo     = MSFT_AADRoleAssignmentScheduleRequestSchedule{
                startDateTime = "2025-11-03T10:12:44.120Z"
                expiration    = MSFT_AADRoleAssignmentScheduleRequestScheduleExpiration{
                    type        = "noExpiration"
                    endDateTime = ""
                }
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADPIMGroupSetting "AADPIMGroupSetting-PIM-SecurityOps_member"
        {
            ActivateApprover                                    = @();
            ActivationMaxDuration                               = "PT8H";
            ActivationReqJustification                          = $True;
            ActivationReqMFA                                    = $True;
            ActivationReqTicket                                 = $False;
            ApprovaltoActivate                                  = $False;
            AssignmentReqJustification                          = $True;
            AssignmentReqMFA                                    = $False;
            AuthenticationContextId                             = "";
            AuthenticationContextRequired                       = $False;
            DisplayName                                         = "PIM-SecurityOps";
            EligibleAssignmentAlertNotificationDefaultRecipient = $True;
            EligibleAssignmentAlertNotificationOnlyCritical     = $False;
            ExpireActiveAssignment                              = "P180D";
            ExpireEligibleAssignment                            = "P365D";
            PermanentActiveAssignmentisExpirationRequired       = $False;
            PermanentEligibleAssignmentisExpirationRequired     = $False;
            RoleDefinitionId                                    = "member";
            Ensure                                              = "Present";
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
        AADGroupEligibilitySchedule "AADGroupEligibilitySchedule-PIM-SecurityOps-Dave Dunn"
        {
            AccessId             = "member";
            Ensure               = "Present";
            GroupDisplayName     = "PIM-SecurityOps";
            GroupId              = "2b3c4d5e-0004-4000-8000-000000000004";
            Id                   = "8c9d0e1f-0001-4000-8000-000000000001";
            MemberType           = "direct";
            PrincipalDisplayname = "Dave Dunn";
            PrincipalType        = "user";
            ScheduleInfo         = MSFT_MicrosoftGraphRequestSchedule{
                Expiration = MSFT_MicrosoftGraphExpirationPattern{
                    Type = 'noExpiration'
                }
                StartDateTime = '2025-11-03T10:15:02.6000000+00:00'
            };
            ApplicationId    = $ConfigurationData.NonNodeData.ApplicationId;
            CertificateThumbprint = $ConfigurationData.NonNodeData.CertificateThumbprint;
            TenantId         = $OrganizationName;
        }
    }
}

M365TenantConfig -ConfigurationData .\ConfigurationData.psd1
