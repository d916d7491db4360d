<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActivityBanner</name>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="45"/>
        <source>No activity is open</source>
        <translation>当前没有进行中的活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="46"/>
        <source>The coordinator opens one by scanning its activity code.</source>
        <translation>请协调员扫描活动码开启活动。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="49"/>
        <source>%n activities are open</source>
        <translation>
            <numerusform>%n 个活动进行中</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="57"/>
        <source>%1 of %2 on site</source>
        <translation>在岗 %1 / %2 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="60"/>
        <source>%1 on site</source>
        <translation>在岗 %1 人</translation>
    </message>
</context>
<context>
    <name>ActivityChoicePanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="106"/>
        <source>%1, which activity are you here for?</source>
        <translation>%1，请选择您要参加的活动</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="68"/>
        <source>Camera not connected, trying again…
You can also use the barcode scanner.</source>
        <translation>摄像头未连接，正在重试…
也可以使用扫码枪签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="70"/>
        <source>The video has ended.
You can use the barcode scanner.</source>
        <translation>视频已播放完毕。
可以使用扫码枪签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="71"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
</context>
<context>
    <name>CaptureView</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="117"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="118"/>
        <source>Look into the camera.</source>
        <translation>请看向摄像头。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="119"/>
        <source>One person at a time in front of the camera, please.</source>
        <translation>请一次只有一个人在摄像头前。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="120"/>
        <source>Come closer to the camera.</source>
        <translation>请靠近摄像头一些。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="121"/>
        <source>Too dark: more light on the face, please.</source>
        <translation>太暗了：请让脸部光线更亮一些。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="122"/>
        <source>The light is behind you: turn so that it falls on your face.</source>
        <translation>逆光了：请转个方向，让光照在脸上。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="123"/>
        <source>Look straight at the camera, head level.</source>
        <translation>请正视摄像头，头部保持端正。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="124"/>
        <source>Hold still.</source>
        <translation>请保持不动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="125"/>
        <source>Good. Keep looking at the camera.</source>
        <translation>很好，请继续看着摄像头。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="126"/>
        <source>A different face: starting again with this person.</source>
        <translation>换了一张脸：从这个人重新开始。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="127"/>
        <source>Done. Saving…</source>
        <translation>完成，正在保存…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="128"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="132"/>
        <source>Time is up. Save the %1 good pictures, or try again.</source>
        <translation>时间到了。可以保存这 %1 张合格画面，或重试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="136"/>
        <source>Time is up: not enough good pictures.</source>
        <translation>时间到了：合格画面不够。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="148"/>
        <source>good pictures (at least %1)</source>
        <translation>张合格画面（至少 %1 张）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="149"/>
        <source>No photo is kept: only numbers computed from the face.</source>
        <translation>不保存照片：只保存由面部计算出的数字。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="152"/>
        <source>Save now (%1)</source>
        <translation>现在保存（%1）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="155"/>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_capture.py" line="157"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ConsentView</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_consent.py" line="158"/>
        <source>Hand the screen to %1: they read the notice and answer themselves.</source>
        <translation>请把屏幕交给 %1：由本人阅读告知并作答。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_consent.py" line="163"/>
        <source>%1 agreed. %2: confirm that they read the notice and agreed of their own will.</source>
        <translation>%1 已同意。%2：请确认本人已阅读告知并自愿同意。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_consent.py" line="167"/>
        <source>Confirm and record</source>
        <translation>确认并记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face_consent.py" line="168"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>CoordinatorMenu</name>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="146"/>
        <source>Closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="149"/>
        <source>Open</source>
        <translation>开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="156"/>
        <source>Coordinator</source>
        <translation>协调员</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="102"/>
        <source>check-in %1–%2</source>
        <translation>签到 %1–%2</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="105"/>
        <source>%1 of %2 on site</source>
        <translation>在场 %1 / %2 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="108"/>
        <source>%1 on site</source>
        <translation>在场 %1 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="110"/>
        <source>%1 signed up</source>
        <translation>已报名 %1 人</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="137"/>
        <source>Tap again to close
(%n still on site signed out)</source>
        <translation>
            <numerusform>再点一次结束活动
（在场 %n 人将被签退）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="142"/>
        <source>Close</source>
        <translation>结束活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="159"/>
        <source>Open an activity for check-in (or scan its activity code at the kiosk); close it when it ends.</source>
        <translation>开启活动以便签到（也可在签到机上扫描活动码）；活动结束时点“结束活动”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="162"/>
        <source>Back to the kiosk</source>
        <translation>返回签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="163"/>
        <source>Exit the kiosk program</source>
        <translation>退出签到程序</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="164"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="165"/>
        <source>USB stick</source>
        <translation>U 盘</translation>
    </message>
</context>
<context>
    <name>DeskController</name>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="184"/>
        <source>Closed by the coordinator</source>
        <translation>协调员结束活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="319"/>
        <source>The PDF could not be saved: %1</source>
        <translation>PDF 未能保存：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="322"/>
        <location filename="../../kiosk/ui/desk_controller.py" line="395"/>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="370"/>
        <source>Volunteer service hours %1</source>
        <translation>志愿服务时长 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="392"/>
        <source>The file could not be saved: %1</source>
        <translation>文件未能保存：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="423"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="429"/>
        <source>Give a reason first.</source>
        <translation>请先填写原因。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="430"/>
        <source>That time is still to come.</source>
        <translation>这个时间还没到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="431"/>
        <source>The sign-out is before the sign-in.</source>
        <translation>签退时间早于签到时间。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="432"/>
        <source>The kiosk closed this visit earlier than that time.</source>
        <translation>签到机在这个时间之前已自动结束这次服务。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="433"/>
        <source>That is before check-in opened.</source>
        <translation>这个时间签到尚未开始。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="434"/>
        <source>That is after the activity ended.</source>
        <translation>这个时间活动已经结束。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="436"/>
        <source>The volunteer has a later visit at this activity: correct that one first.</source>
        <translation>该志愿者在此活动中还有更晚的一次服务，请先更正那一次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="438"/>
        <source>Enter when the volunteer signed in.</source>
        <translation>请填写该志愿者的签到时间。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="439"/>
        <source>This visit has changed meanwhile; look again.</source>
        <translation>这次服务记录已有变化，请重新查看。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_controller.py" line="440"/>
        <source>Not saved: the kiosk cannot write its records.</source>
        <translation>未保存：签到机无法写入记录。</translation>
    </message>
</context>
<context>
    <name>DeskScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="103"/>
        <source>Coordinator desk</source>
        <translation>协调员工作台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="105"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="107"/>
        <source>Activities</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="108"/>
        <source>Sign in / out</source>
        <translation>签到 / 签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="109"/>
        <source>Who is here</source>
        <translation>在场人员</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="110"/>
        <source>To review (%1)</source>
        <translation>待核对（%1）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="111"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_screen.py" line="112"/>
        <source>Face</source>
        <translation>刷脸</translation>
    </message>
</context>
<context>
    <name>FaceDeskController</name>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="202"/>
        <source>Nothing was recorded. %1 keeps using the QR card.</source>
        <translation>未记录任何信息。%1 继续使用二维码签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="225"/>
        <source>Consent recorded. Enrol the face at a kiosk with a camera.</source>
        <translation>已记录同意。请在有摄像头的签到机上录入人脸。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="231"/>
        <source>Consent not recorded: the kiosk cannot write its records.</source>
        <translation>未记录同意：签到机无法写入记录。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="297"/>
        <source>Cancelled: no face template was stored.</source>
        <translation>已取消：未保存人脸模板。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="329"/>
        <source>Enrolled: the face templates are stored, encrypted. No photo was kept.</source>
        <translation>已录入：人脸模板已加密保存，未保存任何照片。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="333"/>
        <source>Not enrolled: no consent is recorded for this volunteer.</source>
        <translation>未录入：该志愿者没有已记录的同意。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="334"/>
        <source>Not enrolled: too few good pictures. Try again.</source>
        <translation>未录入：合格画面太少，请重试。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="336"/>
        <source>Not enrolled: the kiosk cannot write its records. Nothing was stored.</source>
        <translation>未录入：签到机无法写入记录，未保存任何内容。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="339"/>
        <source>Not enrolled.</source>
        <translation>未录入。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/desk_face_controller.py" line="355"/>
        <source>Deleted %n templates; other kiosks delete them at the next sync.</source>
        <translation>
            <numerusform>已删除 %n 个模板；其他签到机将在下次同步时删除。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="357"/>
        <source>Consent withdrawn. There were no templates to delete.</source>
        <translation>已撤回同意。没有需要删除的模板。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/desk_face_controller.py" line="362"/>
        <source>Not deleted: the kiosk cannot write its records. Try again.</source>
        <translation>未删除：签到机无法写入记录，请重试。</translation>
    </message>
</context>
<context>
    <name>FacePage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="253"/>
        <source>Delete all face data of %1? Their consent is marked withdrawn.</source>
        <translation>删除 %1 的全部人脸数据？其同意将标记为已撤回。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="288"/>
        <source>consent only</source>
        <translation>仅同意</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="289"/>
        <source>enrolled</source>
        <translation>已录入</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="290"/>
        <source>deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="308"/>
        <source>Find the volunteer on the left, or scan their card.</source>
        <translation>在左侧查找志愿者，或扫描其志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="312"/>
        <source>No face data. This volunteer signs in with the QR card.</source>
        <translation>没有人脸数据。该志愿者使用二维码签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="315"/>
        <source>Consent recorded %1 by %2 (notice %3).</source>
        <translation>%1 由 %2 记录同意（告知版本 %3）。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="321"/>
        <source>Consent withdrawn %1: no face data is kept.</source>
        <translation>%1 已撤回同意：不保留任何人脸数据。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="325"/>
        <source>No face templates yet.</source>
        <translation>尚无人脸模板。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_face.py" line="326"/>
        <source>Enrolled %1 with %n templates.</source>
        <translation>
            <numerusform>%1 已录入，共 %n 个模板。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="332"/>
        <source>Name, pinyin initials, last phone digits or ID</source>
        <translation>姓名、拼音首字母、手机尾号或编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="333"/>
        <source>Or scan the volunteer&apos;s card.</source>
        <translation>也可以扫描志愿者的卡。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="334"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="334"/>
        <source>Volunteer ID</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="334"/>
        <source>Face</source>
        <translation>人脸</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="340"/>
        <source>Enrol again…</source>
        <translation>重新录入…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="340"/>
        <source>Enrol face…</source>
        <translation>录入人脸…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="342"/>
        <source>The QR card always works: face check-in is only offered, never required.</source>
        <translation>二维码志愿者证始终可用：刷脸签到只是可选项，从不强制。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="346"/>
        <source>Record consent…</source>
        <translation>记录同意…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="349"/>
        <source>No camera for faces here: consent and deletion work, but faces are enrolled at a kiosk with a camera.</source>
        <translation>本机没有可用于人脸的摄像头：可以记录同意和删除人脸数据，人脸需在有摄像头的签到机上录入。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="354"/>
        <source>Delete face data…</source>
        <translation>删除人脸数据…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="355"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_face.py" line="356"/>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
</context>
<context>
    <name>FacePreview</name>
    <message>
        <location filename="../../kiosk/ui/widgets/face_preview.py" line="65"/>
        <source>Waiting for the camera…</source>
        <translation>正在等待摄像头…</translation>
    </message>
</context>
<context>
    <name>FacePrompt</name>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="83"/>
        <source>Please come a little closer</source>
        <translation>请靠近一点</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="84"/>
        <source>Too dark: please face the light</source>
        <translation>光线太暗，请面向光源</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="85"/>
        <source>Too much light behind you: please turn from the window</source>
        <translation>背光，请避开身后的强光</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="88"/>
        <source>Please look at the screen</source>
        <translation>请看屏幕</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="89"/>
        <source>Please hold still</source>
        <translation>请保持不动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="90"/>
        <source>One person at a time, please</source>
        <translation>请一位一位来</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="91"/>
        <source>Checking your face…</source>
        <translation>正在识别…</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="92"/>
        <source>Please turn your head to your left</source>
        <translation>请向左转头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="93"/>
        <source>Please turn your head to your right</source>
        <translation>请向右转头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="94"/>
        <source>Now look at the screen again</source>
        <translation>请再看屏幕</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="95"/>
        <source>Please use your QR code to check in</source>
        <translation>请使用二维码签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="96"/>
        <source>Face not recognised: please use your QR code</source>
        <translation>未能识别，请使用二维码签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="99"/>
        <source>Could not confirm it is you: please use your QR code</source>
        <translation>无法确认是本人，请使用二维码签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/face_prompts.py" line="109"/>
        <source>Or show your QR code</source>
        <translation>或出示您的二维码</translation>
    </message>
</context>
<context>
    <name>IdlePanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="65"/>
        <source>Look at the camera, or show your volunteer QR code</source>
        <translation>请看摄像头，或出示志愿者二维码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="67"/>
        <source>Hold your volunteer QR code up to the camera</source>
        <translation>请将志愿者二维码对准摄像头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="69"/>
        <source>Scan once to check in, again when you leave to check out. A barcode scanner works too.</source>
        <translation>到达时扫码签到，离开时再扫码签退。也可以使用扫码枪。</translation>
    </message>
</context>
<context>
    <name>KioskScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="177"/>
        <source>Coordinator</source>
        <translation>协调员</translation>
    </message>
</context>
<context>
    <name>KioskStatusBar</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="59"/>
        <source>%n record(s) waiting to sync</source>
        <translation>
            <numerusform>%n 条记录待同步</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="61"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="63"/>
        <source>Cannot reach the cloud, will retry</source>
        <translation>无法连接云端，稍后重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="65"/>
        <source>Synced at %1</source>
        <translation>已于 %1 同步</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="67"/>
        <source>Connecting to the cloud</source>
        <translation>正在连接云端</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="70"/>
        <source>Camera on</source>
        <translation>摄像头正常</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="71"/>
        <source>Camera starting</source>
        <translation>摄像头启动中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="72"/>
        <source>Camera not connected</source>
        <translation>摄像头未连接</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="73"/>
        <source>Camera reconnecting</source>
        <translation>摄像头重连中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="74"/>
        <source>Video ended</source>
        <translation>视频已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="78"/>
        <source>Kiosk %1</source>
        <translation>签到机 %1</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="389"/>
        <source>The PIN could not be checked: the kiosk cannot write its records.</source>
        <translation>无法核对密码：签到机无法写入记录。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="392"/>
        <source>Too many wrong PINs. Locked until %1.</source>
        <translation>密码错误次数过多，已锁定至 %1。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/main_window.py" line="394"/>
        <source>Wrong PIN. %n tries left.</source>
        <translation>
            <numerusform>密码错误，还可尝试 %n 次。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LeaveQuestionPanel</name>
    <message>
        <location filename="../../kiosk/ui/widgets/leave_question.py" line="70"/>
        <source>%1, you did not sign out on %2 (%3).</source>
        <translation>%1，您 %2 参加“%3”时没有签退。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/leave_question.py" line="75"/>
        <source>When did you leave? Your coordinator will check it.</source>
        <translation>您是几点离开的？协调员会核对。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/leave_question.py" line="76"/>
        <source>I don&apos;t remember</source>
        <translation>记不清了</translation>
    </message>
</context>
<context>
    <name>OnSitePage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="116"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="135"/>
        <source>Signed up, not here: %1</source>
        <translation>已报名未到场：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="174"/>
        <source>%1 of %2 accounted for</source>
        <translation>已清点 %1 / %2 人</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="179"/>
        <source>%n on site</source>
        <translation>
            <numerusform>在场 %n 人</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="185"/>
        <source>Here</source>
        <translation>在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="186"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="187"/>
        <source>Volunteer ID</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="188"/>
        <source>Checked in</source>
        <translation>签到时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="189"/>
        <source>On site</source>
        <translation>在场时长</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="193"/>
        <source>End roll-call</source>
        <translation>结束清点</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="193"/>
        <source>Roll-call</source>
        <translation>人员清点</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="194"/>
        <source>Save roll-call PDF</source>
        <translation>保存清点名单 PDF</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_on_site.py" line="195"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="88"/>
        <source>Coordinator PIN</source>
        <translation>协调员密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="89"/>
        <source>Back to the kiosk</source>
        <translation>返回签到</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="126"/>
        <source>No hours yet today</source>
        <translation>今天还没有服务时长</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="137"/>
        <source>All activities</source>
        <translation>全部活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="187"/>
        <source>The last day is before the first.</source>
        <translation>结束日期早于开始日期。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="198"/>
        <source>%1 visits by %2 volunteers, %3 hours</source>
        <translation>%2 名志愿者服务 %1 人次，共 %3 小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="208"/>
        <source>checked in today</source>
        <translation>今日签到人数</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="209"/>
        <source>on site now</source>
        <translation>当前在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="210"/>
        <source>hours today</source>
        <translation>今日服务小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="214"/>
        <source>Hours by category today</source>
        <translation>今日各类别服务时长</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="215"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="216"/>
        <source>7 days</source>
        <translation>近 7 天</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="217"/>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="218"/>
        <source>Save CSV</source>
        <translation>保存 CSV</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="219"/>
        <source>Save Excel</source>
        <translation>保存 Excel</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="220"/>
        <source>Save PDF</source>
        <translation>保存 PDF</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="221"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="223"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="223"/>
        <source>Visits</source>
        <translation>人次</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="223"/>
        <source>Hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_reports_page.py" line="223"/>
        <source>To review</source>
        <translation>待核对</translation>
    </message>
</context>
<context>
    <name>Result</name>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="59"/>
        <location filename="../../kiosk/ui/messages.py" line="91"/>
        <source>Not a volunteer code</source>
        <translation>这不是志愿者二维码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="60"/>
        <location filename="../../kiosk/ui/messages.py" line="92"/>
        <source>Please show your volunteer card&apos;s QR code.</source>
        <translation>请出示您的志愿者证二维码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="63"/>
        <source>The code could not be read</source>
        <translation>二维码无法识别</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="64"/>
        <source>Hold the card still in the frame and try again.</source>
        <translation>请将二维码放在框内保持不动，再试一次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="67"/>
        <source>This code is newer than this kiosk</source>
        <translation>二维码版本高于本签到机</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="68"/>
        <source>Please ask the coordinator to update the kiosk.</source>
        <translation>请联系协调员更新签到机。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="71"/>
        <source>This code was not issued by our platform</source>
        <translation>此二维码并非本平台签发</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="72"/>
        <location filename="../../kiosk/ui/messages.py" line="76"/>
        <location filename="../../kiosk/ui/messages.py" line="100"/>
        <location filename="../../kiosk/ui/messages.py" line="108"/>
        <location filename="../../kiosk/ui/messages.py" line="116"/>
        <location filename="../../kiosk/ui/messages.py" line="124"/>
        <location filename="../../kiosk/ui/messages.py" line="156"/>
        <location filename="../../kiosk/ui/messages.py" line="261"/>
        <source>Please ask the coordinator for help.</source>
        <translation>请联系现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="75"/>
        <source>This code is not genuine</source>
        <translation>此二维码校验失败，可能是伪造的</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="79"/>
        <source>This card has expired</source>
        <translation>志愿者证已过期</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="80"/>
        <source>Please renew your card on the volunteer platform.</source>
        <translation>请在志愿服务平台上更新您的志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="83"/>
        <location filename="../../kiosk/ui/messages.py" line="87"/>
        <source>This card has been cancelled</source>
        <translation>此志愿者证已作废</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="84"/>
        <location filename="../../kiosk/ui/messages.py" line="88"/>
        <source>Please use your newest card.</source>
        <translation>请使用您最新的志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="95"/>
        <source>This activity is not open yet</source>
        <translation>活动尚未开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="96"/>
        <source>Please ask the coordinator to open it.</source>
        <translation>请联系协调员开启活动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="99"/>
        <source>This activity has ended</source>
        <translation>活动已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="103"/>
        <source>Check-in has not started yet</source>
        <translation>签到尚未开始</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="104"/>
        <source>Please come back when check-in opens.</source>
        <translation>请在签到开始后再来扫码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="107"/>
        <source>Check-in has closed</source>
        <translation>签到已截止</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="111"/>
        <source>You are not on the sign-up list</source>
        <translation>您不在本活动的报名名单中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="112"/>
        <source>Please sign up on the volunteer platform or ask the coordinator.</source>
        <translation>请在志愿服务平台报名，或联系现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="115"/>
        <source>This activity is full</source>
        <translation>活动人数已满</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="119"/>
        <source>No activity is open</source>
        <translation>当前没有进行中的活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="120"/>
        <source>Please ask the coordinator to scan the activity code.</source>
        <translation>请协调员扫描活动码开启活动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="123"/>
        <source>Unknown activity</source>
        <translation>未知活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="127"/>
        <source>You are not checked in</source>
        <translation>您尚未签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="128"/>
        <source>Scan your card to check in.</source>
        <translation>请扫码签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="131"/>
        <source>NOT saved: the kiosk&apos;s storage is full</source>
        <translation>未保存：签到机存储空间已满</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="132"/>
        <location filename="../../kiosk/ui/messages.py" line="136"/>
        <source>Your scan was not recorded. Please tell the coordinator.</source>
        <translation>本次扫码未被记录，请告知现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="135"/>
        <source>NOT saved: the kiosk could not store this</source>
        <translation>未保存：签到机无法写入记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="139"/>
        <source>Too late to undo</source>
        <translation>已超过可撤销时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="140"/>
        <location filename="../../kiosk/ui/messages.py" line="146"/>
        <source>Please ask the coordinator to correct it.</source>
        <translation>请联系协调员更正。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="142"/>
        <source>Already undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="143"/>
        <source>Only the latest scan can be undone</source>
        <translation>只能撤销最近一次扫码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="145"/>
        <source>This cannot be undone</source>
        <translation>此记录无法撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="148"/>
        <source>Nothing to undo</source>
        <translation>没有可撤销的记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="155"/>
        <source>Face check-in is not available for you</source>
        <translation>您无法使用刷脸签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="165"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="166"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="170"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="175"/>
        <source>%1 (recognised by face)</source>
        <translation>%1（人脸识别）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="189"/>
        <source>Checked in at %1</source>
        <translation>签到时间 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="194"/>
        <source>Checked in</source>
        <translation>签到成功</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="197"/>
        <source>Welcome! Thank you for serving.</source>
        <translation>欢迎！感谢您的志愿服务。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="203"/>
        <source>Checked out at %1, visit %2, total %3</source>
        <translation>签退时间 %1，本次服务 %2，累计 %3</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="212"/>
        <source>Checked out</source>
        <translation>签退成功</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="215"/>
        <source>Thank you! See you next time.</source>
        <translation>辛苦了！期待下次再见。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="222"/>
        <source>Already checked in at %1</source>
        <translation>您已于 %1 签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="225"/>
        <source>Already checked out at %1</source>
        <translation>您已于 %1 签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="229"/>
        <source>Already recorded</source>
        <translation>已记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="232"/>
        <source>Nothing else to do.</source>
        <translation>无需重复扫码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="239"/>
        <source>Undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="241"/>
        <source>The last scan was cancelled.</source>
        <translation>上一次扫码已撤销。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="249"/>
        <source>Activity open</source>
        <translation>活动已开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="251"/>
        <source>Volunteers can check in now.</source>
        <translation>志愿者现在可以签到了。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="260"/>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <location filename="../../kiosk/ui/widgets/result_card.py" line="67"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/result_card.py" line="68"/>
        <source>Check out now</source>
        <translation>立即签退</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="146"/>
        <source>Nothing to review.</source>
        <translation>没有需要核对的记录。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="156"/>
        <source>The volunteer says they left at %1.</source>
        <translation>志愿者自述离开时间：%1。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="186"/>
        <source>forgot to sign out</source>
        <translation>忘记签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="187"/>
        <source>signed out without signing in</source>
        <translation>有签退无签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="188"/>
        <source>very long</source>
        <translation>时间过长</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="189"/>
        <source>overlaps another activity</source>
        <translation>与其他活动时间重叠</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="190"/>
        <source>over the daily limit</source>
        <translation>超过单次上限</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="191"/>
        <source>the clock changed</source>
        <translation>设备时钟有变动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="192"/>
        <source>ends before it starts</source>
        <translation>结束早于开始</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="193"/>
        <source>signed in twice</source>
        <translation>重复签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="200"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="201"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="202"/>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="207"/>
        <source>Signed in</source>
        <translation>签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="203"/>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="208"/>
        <source>Signed out</source>
        <translation>签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="204"/>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="209"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="210"/>
        <source>Why, in a few words (required)</source>
        <translation>简要说明原因（必填）</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="211"/>
        <source>Confirm as it is</source>
        <translation>确认无误</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_review.py" line="212"/>
        <source>Save the corrected times</source>
        <translation>保存更正后的时间</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="140"/>
        <source>on site</source>
        <translation>在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="142"/>
        <source>inactive</source>
        <translation>已停用</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="205"/>
        <source>Sign in (%n)</source>
        <translation>
            <numerusform>签到（%n 人）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="206"/>
        <source>Sign out (%n)</source>
        <translation>
            <numerusform>签退（%n 人）</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="217"/>
        <source>already on site</source>
        <translation>已在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="218"/>
        <source>not on site</source>
        <translation>不在场</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="219"/>
        <source>card revoked: ask the platform</source>
        <translation>卡已作废，请联系平台</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="220"/>
        <source>not active in the roster</source>
        <translation>名册中已停用</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="221"/>
        <source>the activity is full</source>
        <translation>活动人数已满</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="222"/>
        <source>the activity is not open</source>
        <translation>活动未开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="223"/>
        <source>unknown activity</source>
        <translation>未知活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="224"/>
        <source>give a reason</source>
        <translation>请填写原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="225"/>
        <source>not saved: the kiosk cannot write its records</source>
        <translation>未保存：签到机无法写入记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="226"/>
        <source>that time is still to come</source>
        <translation>这个时间还没到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="227"/>
        <source>before check-in opened</source>
        <translation>早于签到开始时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="228"/>
        <source>after the activity ended</source>
        <translation>晚于活动结束时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="229"/>
        <source>before they checked in</source>
        <translation>早于其签到时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="237"/>
        <source>%1: done</source>
        <translation>%1：已完成</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="243"/>
        <source>Name, pinyin initials, last phone digits or ID</source>
        <translation>姓名、拼音首字母、手机尾号或编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="244"/>
        <source>Or scan the volunteer&apos;s card. Tick several people to sign in a group.</source>
        <translation>也可以扫描志愿者的卡。勾选多人可集体签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="247"/>
        <source>Pick</source>
        <translation>选择</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="248"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="249"/>
        <source>Volunteer ID</source>
        <translation>志愿者编号</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="250"/>
        <source>Organisation</source>
        <translation>所属组织</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="251"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="254"/>
        <source>Activity</source>
        <translation>活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="255"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="256"/>
        <source>Now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="257"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="259"/>
        <source>Phone battery dead</source>
        <translation>手机没电</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="260"/>
        <source>Forgot the card</source>
        <translation>忘带志愿者卡</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="261"/>
        <source>The card does not scan</source>
        <translation>卡无法识别</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="262"/>
        <source>Signed in on paper</source>
        <translation>已在纸质表签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/desk_sign_in.py" line="263"/>
        <source>Forgot to sign out</source>
        <translation>忘记签退</translation>
    </message>
</context>
<context>
    <name>UsbPanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="103"/>
        <source>USB stick</source>
        <translation>U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="105"/>
        <source>No USB stick found. Plug one in, then tap Look again.</source>
        <translation>未找到 U 盘。请插入 U 盘，然后点“重新查找”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="108"/>
        <source>USB stick: %1</source>
        <translation>U 盘：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="111"/>
        <source>Without a network, records travel on the stick: write them to it, take it to the platform, and bring back its reply to read in.</source>
        <translation>没有网络时，记录用 U 盘传送：先把记录写入 U 盘，交给平台，再把平台的回执带回来读入。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="115"/>
        <source>Write records to the stick</source>
        <translation>把记录写入 U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="116"/>
        <source>Read the platform&apos;s reply</source>
        <translation>读入平台回执</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="117"/>
        <source>Look again</source>
        <translation>重新查找</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="118"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="124"/>
        <source>Working… do not pull out the stick.</source>
        <translation>正在处理……请勿拔出 U 盘。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="138"/>
        <source>This kiosk is not set up for USB transfer yet. Ask the platform for a provisioning file.</source>
        <translation>本签到机尚未设置 U 盘传送。请向平台索取设备配置文件。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="140"/>
        <source>The stick is gone. Plug it in again, then tap Look again.</source>
        <translation>U 盘已拔出。请重新插入，然后点“重新查找”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="141"/>
        <source>The stick cannot be written: it may be full or locked.</source>
        <translation>无法写入 U 盘：可能已满或处于写保护状态。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="142"/>
        <source>The kiosk could not read its records. Nothing was written.</source>
        <translation>签到机无法读取记录，未写入任何内容。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="146"/>
        <source>%n records waiting to sync.</source>
        <translation>
            <numerusform>%n 条记录等待同步。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="148"/>
        <source>%n records written to the stick.</source>
        <translation>
            <numerusform>已将 %n 条记录写入 U 盘。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="149"/>
        <source>Take the stick to the platform. They stay waiting until its reply is read in.</source>
        <translation>请把 U 盘交给平台。读入平台回执之前，这些记录仍保留为等待同步。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="152"/>
        <source>Nothing new from the platform on this stick.</source>
        <translation>U 盘上没有平台的新回执或更新。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="154"/>
        <source>%n records confirmed by the platform.</source>
        <translation>
            <numerusform>平台已确认 %n 条记录。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="155"/>
        <source>%n changes to the roster and activities.</source>
        <translation>
            <numerusform>名册和活动已更新 %n 项。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="160"/>
        <source>%n files refused (damaged, changed, or not for this kiosk): %1</source>
        <translation>
            <numerusform>%n 个文件被拒绝（已损坏、被改动或不属于本签到机）：%1</numerusform>
        </translation>
    </message>
</context>
</TS>
