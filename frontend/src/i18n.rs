//! The one catalogue of user-visible strings: Bahasa Indonesia first, English second.
//! Components never hold literals; they ask `t(lang, Key::...)`.

use leptos::prelude::*;

/// Languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Bahasa Indonesia (default).
    #[default]
    Id,
    /// English.
    En,
}

impl Lang {
    /// The other language (for the switch).
    pub fn other(self) -> Self {
        match self {
            Self::Id => Self::En,
            Self::En => Self::Id,
        }
    }
}

/// Every string the interface shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Key {
    Tagline,
    Online,
    Offline,
    Checking,
    LanguageSwitch,
    Username,
    Password,
    SignIn,
    SignOut,
    SigningIn,
    WrongLogin,
    OfflineLoginUnknown,
    TooManyAttempts,
    Households,
    AddHousehold,
    Search,
    NoHouseholds,
    Pending,
    SyncNow,
    Synced,
    NotSynced,
    Syncing,
    LastSync,
    Never,
    Save,
    Cancel,
    Back,
    HeadName,
    Village,
    Dusun,
    Rt,
    Rw,
    Address,
    FamilyCardNo,
    SafeWater,
    ProperLatrine,
    Yes,
    No,
    Members,
    AddPregnant,
    AddChild,
    Name,
    Nik,
    KiaNo,
    Lmp,
    Status,
    StatusNormal,
    StatusKek,
    StatusRisti,
    Sex,
    Male,
    Female,
    BirthDate,
    BirthCertificate,
    HealthInsurance,
    Measure,
    MeasuredOn,
    Weight,
    Length,
    Position,
    Lying,
    Standing,
    Oedema,
    Result,
    Remeasure,
    Required,
    NotANumber,
    MustBe16Digits,
    NotInFuture,
    OutOfRange,
    Saved,
    SyncPanel,
    Outbox,
    Receipts,
    Applied,
    Duplicate,
    Conflict,
    Rejected,
    SyncErrorOffline,
    SyncErrorSession,
    SyncErrorRefused,
    Storage,
    StoragePersisted,
    StorageNotPersisted,
    StorageLow,
    UpdateAvailable,
    UpdateNow,
    PregnantWoman,
    Child0to23,
    Haz,
    Waz,
    Whz,
    Flagged,
}

/// The text of `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    let (id, en) = texts(key);
    match lang {
        Lang::Id => id,
        Lang::En => en,
    }
}

fn texts(key: Key) -> (&'static str, &'static str) {
    use Key::*;
    match key {
        Tagline => (
            "Pemantauan konvergensi pencegahan stunting",
            "Stunting-prevention convergence monitoring",
        ),
        Online => ("Daring", "Online"),
        Offline => ("Luring", "Offline"),
        Checking => ("Memeriksa…", "Checking…"),
        LanguageSwitch => ("English", "Bahasa Indonesia"),
        Username => ("Nama pengguna", "Username"),
        Password => ("Kata sandi", "Password"),
        SignIn => ("Masuk", "Sign in"),
        SignOut => ("Keluar", "Sign out"),
        SigningIn => ("Sedang masuk…", "Signing in…"),
        WrongLogin => (
            "Nama pengguna atau kata sandi salah",
            "Wrong username or password",
        ),
        OfflineLoginUnknown => (
            "Tidak ada jaringan. Masuk pertama kali di ponsel ini harus daring.",
            "No network. The first sign-in on this phone must be online.",
        ),
        TooManyAttempts => (
            "Terlalu banyak percobaan, coba lagi 5 menit lagi",
            "Too many attempts, try again in 5 minutes",
        ),
        Households => ("Rumah tangga 1000 HPK", "1000-HPK households"),
        AddHousehold => ("Tambah rumah tangga", "Add household"),
        Search => ("Cari nama kepala keluarga", "Search head of household"),
        NoHouseholds => (
            "Belum ada rumah tangga. Tambahkan yang pertama.",
            "No households yet. Add the first one.",
        ),
        Pending => ("menunggu dikirim", "waiting to be sent"),
        SyncNow => ("Sinkronkan sekarang", "Sync now"),
        Synced => ("Tersinkron", "Synced"),
        NotSynced => ("Belum tersinkron", "Not synced"),
        Syncing => ("Menyinkronkan…", "Syncing…"),
        LastSync => ("Sinkron terakhir", "Last sync"),
        Never => ("belum pernah", "never"),
        Save => ("Simpan", "Save"),
        Cancel => ("Batal", "Cancel"),
        Back => ("Kembali", "Back"),
        HeadName => ("Nama kepala keluarga", "Head of household"),
        Village => ("Desa/Kelurahan", "Village"),
        Dusun => ("Dusun", "Hamlet (dusun)"),
        Rt => ("RT", "RT"),
        Rw => ("RW", "RW"),
        Address => ("Alamat", "Address"),
        FamilyCardNo => (
            "Nomor KK (16 digit, boleh kosong)",
            "Family card no. (16 digits, optional)",
        ),
        SafeWater => ("Akses air minum aman", "Safe drinking water"),
        ProperLatrine => ("Jamban sehat", "Proper latrine"),
        Yes => ("Ya", "Yes"),
        No => ("Tidak", "No"),
        Members => ("Anggota sasaran", "Target members"),
        AddPregnant => ("Tambah ibu hamil", "Add pregnant woman"),
        AddChild => ("Tambah anak 0-23 bulan", "Add child 0-23 months"),
        Name => ("Nama", "Name"),
        Nik => ("NIK (16 digit, boleh kosong)", "NIK (16 digits, optional)"),
        KiaNo => ("Nomor register KIA", "KIA register no."),
        Lmp => (
            "HPHT (hari pertama haid terakhir)",
            "First day of last period",
        ),
        Status => ("Status", "Status"),
        StatusNormal => ("Normal", "Normal"),
        StatusKek => ("KEK", "Chronic energy deficiency (KEK)"),
        StatusRisti => ("Risiko tinggi", "High risk"),
        Sex => ("Jenis kelamin", "Sex"),
        Male => ("Laki-laki", "Male"),
        Female => ("Perempuan", "Female"),
        BirthDate => ("Tanggal lahir", "Birth date"),
        BirthCertificate => ("Punya akta kelahiran", "Has birth certificate"),
        HealthInsurance => ("Punya jaminan kesehatan (JKN)", "Has health insurance"),
        Measure => ("Ukur berat & panjang", "Weigh & measure"),
        MeasuredOn => ("Tanggal ukur", "Date measured"),
        Weight => ("Berat badan (kg)", "Weight (kg)"),
        Length => ("Panjang/tinggi badan (cm)", "Length/height (cm)"),
        Position => ("Cara ukur", "Position"),
        Lying => ("Terlentang", "Lying"),
        Standing => ("Berdiri", "Standing"),
        Oedema => ("Ada edema (bengkak kedua kaki)", "Oedema (both feet)"),
        Result => ("Hasil", "Result"),
        Remeasure => (
            "Nilai tidak wajar. Periksa alat dan ukur ulang sebelum menyimpan.",
            "Implausible value. Check the equipment and measure again before saving.",
        ),
        Required => ("Wajib diisi", "Required"),
        NotANumber => ("Harus berupa angka", "Must be a number"),
        MustBe16Digits => ("Harus 16 digit angka", "Must be 16 digits"),
        NotInFuture => (
            "Tanggal tidak boleh di masa depan",
            "Date cannot be in the future",
        ),
        OutOfRange => ("Di luar rentang yang wajar", "Outside the plausible range"),
        Saved => ("Tersimpan di ponsel", "Saved on this phone"),
        SyncPanel => ("Sinkronisasi", "Sync"),
        Outbox => ("Menunggu dikirim", "Waiting to be sent"),
        Receipts => ("Tanda terima server", "Server receipts"),
        Applied => ("diterima", "applied"),
        Duplicate => ("sudah diterima", "already received"),
        Conflict => ("bentrok, ditinjau supervisor", "conflict, sent for review"),
        Rejected => ("ditolak", "rejected"),
        SyncErrorOffline => (
            "Tidak ada jaringan. Data aman di ponsel dan akan dikirim otomatis.",
            "No network. Data is safe on the phone and will be sent automatically.",
        ),
        SyncErrorSession => (
            "Sesi berakhir. Silakan masuk lagi; data tetap aman.",
            "Session ended. Sign in again; your data is safe.",
        ),
        SyncErrorRefused => (
            "Server menolak kiriman. Perbarui aplikasi atau hubungi supervisor.",
            "The server refused the data. Update the app or contact your supervisor.",
        ),
        Storage => ("Penyimpanan", "Storage"),
        StoragePersisted => (
            "Penyimpanan permanen diizinkan",
            "Persistent storage granted",
        ),
        StorageNotPersisted => (
            "Penyimpanan belum permanen: jangan hapus data peramban",
            "Storage not persistent: do not clear browser data",
        ),
        StorageLow => (
            "Penyimpanan hampir penuh! Sinkronkan segera.",
            "Storage almost full! Sync now.",
        ),
        UpdateAvailable => ("Versi baru tersedia", "A new version is available"),
        UpdateNow => ("Perbarui", "Update"),
        PregnantWoman => ("Ibu hamil", "Pregnant woman"),
        Child0to23 => ("Anak 0-23 bulan", "Child 0-23 months"),
        Haz => ("PB/U (panjang menurut umur)", "Length-for-age"),
        Waz => ("BB/U (berat menurut umur)", "Weight-for-age"),
        Whz => ("BB/PB (berat menurut panjang)", "Weight-for-length"),
        Flagged => ("tidak wajar", "implausible"),
    }
}

/// The language signal of the app.
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::Id))
}

/// A reactive text for `key`.
pub fn tr(key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}
